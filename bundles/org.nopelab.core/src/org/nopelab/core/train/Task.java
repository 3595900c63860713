package org.nopelab.core.train;

import java.util.SplittableRandom;

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

    Batch sample(SplittableRandom r, int batch);

    static Task of(TaskConfig c) {
        return switch (c.name()) {
            case "copy" -> Tasks.previousToken(c.length());
            case "add3" -> Tasks.add3();
            case "modp" -> Tasks.modp(c.p());
            case "parity" -> Tasks.parity(c.length());
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
