package org.nopelab.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.Training;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;

/**
 * Length generalisation (Kazemnejad et al. 2023): a model trained on the task at length L, evaluated on the same
 * task at k x L for each factor k of train.length_factors, on inputs drawn from the held-out split at that length
 * (where the input space is large enough to split), with the task's own evaluation (greedy decoding for a
 * scratchpad). Only tasks with a length (copy, parity) have one to stretch.
 */
public final class LengthGeneralisation {
    private static final long SALT = 0x1E46_7A11L;

    private LengthGeneralisation() {}

    /**
     * One factor: the length evaluated (task.length x factor), its accuracies, whether its inputs were held out, and
     * the adjacency probability ap_nn of the last layer on those inputs (per-sequence mean over at most
     * {@value #ADJACENCY_SEQUENCES}) with its chance: does the position signal stretch with the length too?
     */
    public record Point(int factor, int length, double tokenAccuracy, double sequenceAccuracy, boolean heldOut, Double apNN, Double apNNChance) {
        public Point(int factor, int length, double tokenAccuracy, double sequenceAccuracy, boolean heldOut) {
            this(factor, length, tokenAccuracy, sequenceAccuracy, heldOut, null, null);
        }
    }

    static final int ADJACENCY_SEQUENCES = 128;

    public static boolean applies(String task) {
        return task.equals("copy") || task.equals("parity");
    }

    public static List<Point> measure(ModelConfig model, ModelWeights weights, TaskConfig task, TrainConfig train, long dataSeed) {
        List<Point> out = new ArrayList<>();
        if (train.lengthFactors() == null || train.lengthFactors().isEmpty() || !applies(task.name())) return out;
        try (Training session = Engines.standard().train(model, weights, train.adam(), Map.of(), 0)) {
            for (int k : train.lengthFactors()) {
                TaskConfig longer = new TaskConfig(task.name(), task.p(), task.length() * k, task.format(), 0, task.curriculumSteps(), task.scratchpad());
                Task t = Task.of(longer);
                Batch eval = t.sample(new SplittableRandom(dataSeed ^ SALT ^ k), train.evalSamples(), Task.Split.heldOut);
                Task.Accuracy a = Trainer.evaluate(t, session, eval, train.batchSize());
                double[] adjacency = adjacency(model, weights, eval.inputs());
                out.add(new Point(k, longer.length(), a.token(), a.sequence(), t.holdsOut(), adjacency[0], adjacency[1]));
            }
        }
        return out;
    }

    /** ap_nn of the last layer's cosine matrices, per sequence and averaged, and its chance at this length. */
    private static double[] adjacency(ModelConfig model, ModelWeights weights, int[][] inputs) {
        int[][] some = java.util.Arrays.copyOf(inputs, Math.min(inputs.length, ADJACENCY_SEQUENCES));
        String last = org.nopelab.core.engine.HiddenStates.layer(model.layers());
        var capture = org.nopelab.core.engine.Capture.states(java.util.Set.of(last));
        var engine = Engines.standard();
        engine.forward(model, weights, some, capture, () -> {});
        double sum = 0;
        double[][][] m = engine.similarity(capture.captured().get(last), org.nopelab.core.metrics.SimilarityKind.cosine);
        for (double[][] s : m) sum += org.nopelab.core.metrics.AdjacencyScore.ap_nn.score(s);
        return new double[] {sum / m.length, org.nopelab.core.metrics.AdjacencyScore.ap_nn.chance(some[0].length)};
    }

    /** "x1 (L 16) 1.000, x2 (L 32) 0.412": the console's and the report's line. */
    public static String describe(List<Point> points) {
        List<String> parts = new ArrayList<>();
        for (Point p : points) {
            parts.add(String.format("x%d (length %d) %.3f", p.factor(), p.length(), p.tokenAccuracy())
                    + (p.apNN() == null ? "" : String.format(" (last-layer ap_nn %.3f, chance %.3f)", p.apNN(), p.apNNChance())));
        }
        return String.join(", ", parts);
    }
}
