package org.nopelab.core.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.Training;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.monitor.TrainingPoint;

/**
 * Trains a model on a task with Adam. Batches are drawn from a generator seeded by (data seed, step), so a run
 * resumed from a checkpoint sees exactly the batches an uninterrupted run would, and ends with identical weights.
 */
public final class Trainer {
    private static final long EVAL_SALT = 0x5DEECE66DL;

    private Trainer() {}


    public record Outcome(ModelWeights weights, List<TrainingPoint> curve, Task.Accuracy evaluation, int resumedFromStep, double seconds,
            List<LengthGeneralisation.Point> lengths) {
        /** The same outcome with its length-generalisation points, measured after training. */
        public Outcome withLengths(List<LengthGeneralisation.Point> points) {
            return new Outcome(weights, curve, evaluation, resumedFromStep, seconds, List.copyOf(points));
        }
    }

    public static Outcome train(ModelConfig model, ModelWeights start, Task task, TrainConfig c, long dataSeed,
            Path checkpointDir, String experimentHash, RunMonitor monitor) throws IOException {
        return train(Engines.standard(), model, start, task, c, dataSeed, checkpointDir, experimentHash, monitor);
    }

    /** Training with the given engine (the reference one checks the standard one's training in tests). */
    public static Outcome train(TransformerEngine engine, ModelConfig model, ModelWeights start, Task task, TrainConfig c, long dataSeed,
            Path checkpointDir, String experimentHash, RunMonitor monitor) throws IOException {
        if (task.vocabSize() > model.vocabSize()) {
            throw new IllegalArgumentException("task " + task.name() + " uses " + task.vocabSize() + " token ids but the model's vocab_size is " + model.vocabSize());
        }
        long begin = System.nanoTime();
        ModelWeights w = start;
        Map<String, Tensor> moments = Map.of();
        List<TrainingPoint> curve = new ArrayList<>();
        int first = 0;
        var resumed = Checkpoints.latest(checkpointDir, experimentHash, start, monitor::log);
        if (resumed.isPresent()) {
            w = resumed.get().weights();
            moments = resumed.get().adam();
            curve.addAll(resumed.get().curve());
            first = resumed.get().step();
            monitor.log("resuming from " + resumed.get().file() + " at step " + first);
        }
        try (Training session = engine.train(model, w, c.adam(), moments, first)) {
            return run(session, model, task, c, dataSeed, checkpointDir, experimentHash, monitor, curve, first, begin);
        }
    }

    private static Outcome run(Training session, ModelConfig model, Task task, TrainConfig c, long dataSeed, Path checkpointDir,
            String experimentHash, RunMonitor monitor, List<TrainingPoint> curve, int first, long begin) throws IOException {
        // evaluation inputs the training never draws (where the input space is large enough to split)
        Batch eval = task.sample(new SplittableRandom(dataSeed ^ EVAL_SALT), c.evalSamples(), Task.Split.heldOut);
        int lastGood = first;
        // progress covers the steps still to run, so a resumed run's ETA is not skewed by the earlier ones
        monitor.begin("Training on " + task.name() + " for " + c.steps() + " steps" + (first > 0 ? ", resuming at step " + first : ""), c.steps() - first);
        long windowStart = System.nanoTime();
        int windowSteps = 0;
        for (int step = first; step < c.steps(); step++) {
            if (monitor.isCancelled()) throw new RunCancelledException();
            Batch batch = task.atStep(step).sample(new SplittableRandom(dataSeed * 0x9E3779B97F4A7C15L + step), c.batchSize());
            double lr = c.lrAt(step);
            Training.Step lg = session.step(batch, lr);
            double norm = lg.gradNorm();
            if (!lg.applied()) {
                throw new TrainingDivergedException("training diverged at step " + (step + 1) + ": loss " + lg.loss()
                        + ", gradient norm " + norm + "; weights were not updated. Last good checkpoint: step " + lastGood
                        + (checkpointDir == null ? "" : " in " + checkpointDir) + ". Lower train.lr or set train.clip_norm.");
            }
            windowSteps++;
            int done = step + 1;
            if (done % c.evalInterval() == 0 || done == c.steps()) {
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                double tokensPerSecond = windowSteps * (double) c.batchSize() * task.positions() / Math.max(seconds, 1e-9);
                Task.Accuracy acc = evaluate(task, session, eval, c.batchSize());
                TrainingPoint row = new TrainingPoint(done, lg.loss(), lr, norm, Task.Accuracy.of(batch, lg.predictions()).token(), acc.token(), acc.sequence(), tokensPerSecond);
                curve.add(row);
                monitor.trainingPoint(row);
                monitor.worked(windowSteps, String.format("step %d/%d  loss %.4f  eval accuracy %.3f (sequences %.3f)  lr %.2e  %.0f tokens/s",
                        done, c.steps(), lg.loss(), acc.token(), acc.sequence(), lr, tokensPerSecond));
                windowStart = System.nanoTime();
                windowSteps = 0;
            }
            if (checkpointDir != null && (done % c.checkpointInterval() == 0 || done == c.steps())) {
                Checkpoints.save(checkpointDir, done, experimentHash, session.weights(), session.optimizerState(), curve);
                lastGood = done;
            }
        }
        Task.Accuracy last = evaluate(task, session, eval, c.batchSize());
        return new Outcome(session.weights(), curve, last, first, (System.nanoTime() - begin) / 1e9, List.of());
    }

    /** The task's accuracy on a fixed evaluation set, predicted batch by batch. */
    public static Task.Accuracy evaluate(Task task, Training session, Batch eval, int batchSize) {
        return task.evaluate(tokens -> {
            int[][] predictions = new int[tokens.length][];
            for (int from = 0; from < tokens.length; from += batchSize) {
                int to = Math.min(tokens.length, from + batchSize);
                int[][] p = session.predict(java.util.Arrays.copyOfRange(tokens, from, to));
                System.arraycopy(p, 0, predictions, from, to - from);
            }
            return predictions;
        }, eval);
    }
}
