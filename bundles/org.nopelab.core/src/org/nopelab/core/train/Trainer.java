package org.nopelab.core.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nopelab.core.internal.nd4j.Nd4jEngine;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.run.RunCancelledException;
import org.nopelab.core.run.RunMonitor;

/**
 * Trains a model on a task with Adam. Batches are drawn from a generator seeded by (data seed, step), so a run
 * resumed from a checkpoint sees exactly the batches an uninterrupted run would, and ends with identical weights.
 */
public final class Trainer {
    private static final long EVAL_SALT = 0x5DEECE66DL;

    private Trainer() {}

    /** One evaluation point of the training curve. */
    public record Row(int step, double loss, double lr, double gradNorm, double batchAccuracy,
            double evalTokenAccuracy, double evalSequenceAccuracy, double tokensPerSecond) {}

    public record Outcome(ModelWeights weights, List<Row> curve, Task.Accuracy evaluation, int resumedFromStep, double seconds) {}

    public static Outcome train(ModelConfig model, ModelWeights start, Task task, TrainConfig c, long dataSeed,
            Path checkpointDir, String experimentHash, RunMonitor monitor) throws IOException {
        if (task.vocabSize() > model.vocabSize()) {
            throw new IllegalArgumentException("task " + task.name() + " uses " + task.vocabSize() + " token ids but the model's vocab_size is " + model.vocabSize());
        }
        long begin = System.nanoTime();
        Nd4jEngine engine = new Nd4jEngine();
        Adam adam = new Adam(c);
        ModelWeights w = start.copy();
        List<Row> curve = new ArrayList<>();
        int first = 0;
        var resumed = Checkpoints.latest(checkpointDir, experimentHash, start, monitor::log);
        if (resumed.isPresent()) {
            w = resumed.get().weights();
            adam.restore(resumed.get().adam(), resumed.get().step());
            curve.addAll(resumed.get().curve());
            first = resumed.get().step();
            monitor.log("resuming from " + resumed.get().file() + " at step " + first);
        }
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
            LossAndGradients lg = engine.lossAndGradients(model, w, batch, false);
            double norm = Adam.clip(lg.gradients(), c.clipNorm());
            if (!Double.isFinite(lg.loss()) || !Double.isFinite(norm)) {
                throw new TrainingDivergedException("training diverged at step " + (step + 1) + ": loss " + lg.loss()
                        + ", gradient norm " + norm + "; weights were not updated. Last good checkpoint: step " + lastGood
                        + (checkpointDir == null ? "" : " in " + checkpointDir) + ". Lower train.lr or set train.clip_norm.");
            }
            double lr = c.lrAt(step);
            adam.update(w, lg.gradients(), lr);
            windowSteps++;
            int done = step + 1;
            if (done % c.evalInterval() == 0 || done == c.steps()) {
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                double tokensPerSecond = windowSteps * (double) c.batchSize() * task.positions() / Math.max(seconds, 1e-9);
                Task.Accuracy acc = evaluate(engine, model, w, eval, c.batchSize());
                Row row = new Row(done, lg.loss(), lr, norm, Task.Accuracy.of(batch, lg.predictions()).token(), acc.token(), acc.sequence(), tokensPerSecond);
                curve.add(row);
                monitor.trainingPoint(row);
                monitor.worked(windowSteps, String.format("step %d/%d  loss %.4f  eval accuracy %.3f (sequences %.3f)  lr %.2e  %.0f tokens/s",
                        done, c.steps(), lg.loss(), acc.token(), acc.sequence(), lr, tokensPerSecond));
                windowStart = System.nanoTime();
                windowSteps = 0;
            }
            if (checkpointDir != null && (done % c.checkpointInterval() == 0 || done == c.steps())) {
                Checkpoints.save(checkpointDir, done, experimentHash, w, adam, curve);
                lastGood = done;
            }
        }
        Task.Accuracy last = evaluate(engine, model, w, eval, c.batchSize());
        return new Outcome(w, curve, last, first, (System.nanoTime() - begin) / 1e9);
    }

    /** Accuracy on a fixed evaluation set, predicted batch by batch. */
    public static Task.Accuracy evaluate(Nd4jEngine engine, ModelConfig model, ModelWeights w, Batch eval, int batchSize) {
        int[][] predictions = new int[eval.size()][];
        for (int from = 0; from < eval.size(); from += batchSize) {
            int to = Math.min(eval.size(), from + batchSize);
            int[][] p = engine.predict(model, w, java.util.Arrays.copyOfRange(eval.inputs(), from, to));
            System.arraycopy(p, 0, predictions, from, to - from);
        }
        return Task.Accuracy.of(eval, predictions);
    }

}
