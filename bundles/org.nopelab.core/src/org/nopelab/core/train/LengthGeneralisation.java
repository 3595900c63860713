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

    /** One factor: the length evaluated (task.length x factor), its accuracies, and whether its inputs were held out. */
    public record Point(int factor, int length, double tokenAccuracy, double sequenceAccuracy, boolean heldOut) {}

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
                out.add(new Point(k, longer.length(), a.token(), a.sequence(), t.holdsOut()));
            }
        }
        return out;
    }

    /** "x1 (L 16) 1.000, x2 (L 32) 0.412": the console's and the report's line. */
    public static String describe(List<Point> points) {
        List<String> parts = new ArrayList<>();
        for (Point p : points) parts.add(String.format("x%d (length %d) %.3f", p.factor(), p.length(), p.tokenAccuracy()));
        return String.join(", ", parts);
    }
}
