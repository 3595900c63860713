package org.nopelab.core.train;

import java.util.SplittableRandom;

import org.nopelab.core.engine.Batch;

/**
 * A seeded data generator for next-token training. Vocabularies and lengths are our choices (the paper does
 * not publish them); each is documented on its factory method.
 */
public interface Task {
    String name();

    /** Token ids the task uses: 0 .. vocabSize-1. The model's vocab_size must be at least this. */
    int vocabSize();

    /** Input positions per sequence. */
    int positions();

    /** A batch of training sequences (never one of the held-out inputs when the task {@link #holdsOut()}). */
    default Batch sample(SplittableRandom r, int batch) {
        return sample(r, batch, Split.train);
    }

    /** Which part of the input space a batch is drawn from. */
    enum Split { train, heldOut }

    Batch sample(SplittableRandom r, int batch, Split split);

    /** A model's argmax prediction at every position of some inputs ([sequences][positions] both). */
    interface Predictor {
        int[][] predict(int[][] tokens);
    }

    /**
     * The accuracy of a model on an evaluation batch: teacher-forced argmax at the weighted positions, or, for a
     * task whose answer depends on tokens the model itself writes (a scratchpad), under greedy decoding.
     */
    default Accuracy evaluate(Predictor model, Batch eval) {
        return Accuracy.of(eval, model.predict(eval.inputs()));
    }

    /** The task as trained at a step: itself, or a shorter version under a length curriculum. */
    default Task atStep(int step) {
        return this;
    }

    /** How many distinct inputs the task has (saturating at Long.MAX_VALUE). */
    long inputSpace();

    /**
     * Whether evaluation inputs are disjoint from training inputs: {@link #HELD_OUT_FRACTION} of the input space,
     * chosen by a hash of the input, is never trained on. An input space smaller than {@link #MIN_SPLIT_SPACE} is
     * not split (10% of parity-8's 256 inputs are 26 sequences, and the model could not be said to generalise from
     * the rest): its evaluation is on inputs it may have trained on, and the result says so.
     */
    default boolean holdsOut() {
        return inputSpace() >= MIN_SPLIT_SPACE;
    }

    double HELD_OUT_FRACTION = 0.1;
    long MIN_SPLIT_SPACE = 10_000;

    /** How an accuracy on this evaluation is named: "held-out accuracy", or "accuracy (not held out)". */
    static String accuracyName(boolean heldOut) {
        return heldOut ? "held-out accuracy" : "accuracy (not held out)";
    }

    /** The evaluation, described for a result: held out or not, and from how many inputs. */
    default String evaluationSet() {
        return holdsOut() ? String.format("held out: %.0f%% of the %s inputs, never trained on", 100 * HELD_OUT_FRACTION, space(inputSpace()))
                : "not held out: the " + space(inputSpace()) + " inputs are too few to split, so the evaluation draws from inputs trained on";
    }

    private static String space(long n) {
        return n == Long.MAX_VALUE ? "more than 9e18" : String.format("%,d", n);
    }

    static Task of(TaskConfig c) {
        return switch (c.name()) {
            case "copy" -> Tasks.previousToken(c.length());
            case "add3" -> Tasks.add3("place_coded".equals(c.format()));
            case "modp" -> Tasks.modp(c.p());
            case "parity" -> {
                java.util.function.IntFunction<Task> ofLength = n -> c.scratchpad() ? Tasks.parityScratchpad(n) : Tasks.parity(n);
                yield c.curriculumStart() > 0 ? Tasks.curriculum(ofLength.apply(c.length()), step -> ofLength.apply(
                        Math.min(c.length(), c.curriculumStart() + step / c.curriculumSteps()))) : ofLength.apply(c.length());
            }
            default -> throw new IllegalArgumentException("unknown task '" + c.name() + "' (add3, modp, parity, copy)");
        };
    }

    /** Token accuracy over weighted positions, and the fraction of sequences with every weighted position right. */
    record Accuracy(double token, double sequence) {
        public static Accuracy of(Batch b, int[][] predictions) {
            long right = 0, total = 0, fullyRight = 0;
            for (int s = 0; s < b.size(); s++) {
                boolean all = true;
                for (int t = 0; t < b.positions(); t++) {
                    if (b.weights()[s][t] == 0) continue;
                    total++;
                    if (predictions[s][t] == b.targets()[s][t]) right++;
                    else all = false;
                }
                if (all) fullyRight++;
            }
            return new Accuracy((double) right / total, (double) fullyRight / b.size());
        }
    }
}
