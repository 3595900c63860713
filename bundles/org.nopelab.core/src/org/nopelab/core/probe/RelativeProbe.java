package org.nopelab.core.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;


/**
 * The relative-distance probe beside the absolute one ({@link PositionProbe}): from a pair of positions j < i of
 * one sequence, predict their distance i - j (2..n-1) by least squares on pair features taken from that sequence's
 * similarity matrix alone: S_ij, the neighbours' S_i,j+1 and S_i-1,j, with their squares. Up to
 * {@value #PAIRS_PER_SEQUENCE} pairs per sequence (drawn with a fixed seed), fitted on the first 80% of the
 * sequences and scored on the rest (R^2, mean absolute error, rounded accuracy, mean prediction per true distance),
 * like the absolute probes. Chance: R^2 0, a prediction of the mean distance.
 */
public final class RelativeProbe {
    public static final int PAIRS_PER_SEQUENCE = 200;

    private RelativeProbe() {}

    /**
     * The features of the pair (i, j), j <= i - 2: S_ij and the cosines one step nearer from either side, S_i,j+1 and
     * S_i-1,j. Pairs at distance 1 are left out: their "nearer" cosines would be the diagonal, 1 by definition, and
     * give the distance away without any position in the states (measured: R^2 0.2 on position-blind noise).
     */
    static double[] features(double[][] s, int i, int j) {
        double own = s[i][j], nearer = s[i][j + 1], earlier = s[i - 1][j];
        return new double[] {own, nearer, earlier, own * own, nearer * nearer, earlier * earlier};
    }

    /** Pairs drawn sequence by sequence as the analysis sees them (the matrices themselves are not kept). */
    public static final class Pairs {
        private final SplittableRandom r;
        private final List<double[]> x = new ArrayList<>();
        private final List<Double> y = new ArrayList<>();
        private final List<Integer> sequence = new ArrayList<>();
        private int sequences, n;
        private double roundoff = 0x1p-24;

        public Pairs(long seed) {
            r = new SplittableRandom(seed);
        }

        /** One sequence's similarity matrix, from states of unit roundoff u (float32 2^-24, float64 2^-53). */
        public void add(double[][] s, double u) {
            n = s.length;
            roundoff = u;
            if (n < 3) return;
            for (int k = 0; k < PAIRS_PER_SEQUENCE; k++) {
                int i = 2 + r.nextInt(n - 2), j = r.nextInt(i - 1); // distance i - j >= 2
                x.add(features(s, i, j));
                y.add((double) (i - j));
                sequence.add(sequences);
            }
            sequences++;
        }

        public int sequences() {
            return sequences;
        }

        /** Fits on the pairs of the first 80% of the sequences and scores on the rest. */
        public PositionProbe.Score fit() {
            int trainSequences = Math.max(1, (int) Math.round(sequences * PositionProbe.TRAIN_FRACTION));
            if (trainSequences >= sequences) return PositionProbe.Score.undefined(0, 0, Math.max(n, 2), "needs at least 2 sequences of at least 3 positions");
            List<double[]> trainX = new ArrayList<>(), testX = new ArrayList<>();
            List<Double> trainY = new ArrayList<>(), testY = new ArrayList<>();
            for (int k = 0; k < x.size(); k++) {
                boolean train = sequence.get(k) < trainSequences;
                (train ? trainX : testX).add(x.get(k));
                (train ? trainY : testY).add(y.get(k));
            }
            return PositionProbe.fitRows(trainX, trainY, testX, testY, n, 3, roundoff);
        }
    }
}
