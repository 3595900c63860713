package org.nopelab.core.metrics;

import java.util.SplittableRandom;

/**
 * The paper's adjacency probability. Its exact formula is unpublished (paper-spec §2), so each variant is a
 * documented choice with its chance level. Positions are 0-based here. Ties count fractionally (the
 * expected outcome of breaking them at random), which matters at the input layer where a repeated token
 * has identical embeddings. Similarities closer than {@link #TIE} are ties: float32 engines round equal
 * states slightly differently by row, and that noise must not decide a nearest neighbour.
 */
public enum AdjacencyScore {
    /** Nearest neighbour j* = argmax_{j != i} S_ij, success iff |j* - i| = 1, over positions i >= 1. */
    ap_nn,
    /** Only the past, j < i: success iff j* = i - 1, over positions i >= 2 (at i = 1 it is trivially 1). */
    ap_nn_causal,
    /** Triples (i, j, k), j,k != i, |i-j| < |i-k|: fraction with S_ij > S_ik. Exact up to n = 128, sampled beyond. */
    ap_order,
    /** P[S_{i,i+-1} > S_{i,k}] for k among the non-adjacent positions. */
    ap_neighbour;

    /** Below float32 resolution of a cosine; measured: without it the bidirectional control scored 0.13 against chance 0.085. */
    public static final double TIE = 1e-6;
    static final int EXACT_ORDER_LIMIT = 128;
    static final int ORDER_SAMPLES = 200_000;

    public double score(double[][] s) {
        return switch (this) {
            case ap_nn -> nearestNeighbour(s, false);
            case ap_nn_causal -> nearestNeighbour(s, true);
            case ap_order -> order(s);
            case ap_neighbour -> neighbour(s);
        };
    }

    /** The score of a similarity matrix that carries no position information, for n positions. */
    public double chance(int n) {
        return switch (this) {
            case ap_nn -> {
                double sum = 0;
                for (int i = 1; i < n; i++) sum += (i < n - 1 ? 2.0 : 1.0) / (n - 1);
                yield sum / (n - 1);
            }
            case ap_nn_causal -> {
                double sum = 0;
                for (int i = 2; i < n; i++) sum += 1.0 / i;
                yield sum / (n - 2);
            }
            case ap_order, ap_neighbour -> 0.5;
        };
    }

    private static double nearestNeighbour(double[][] s, boolean causal) {
        int n = s.length, first = causal ? 2 : 1;
        double total = 0;
        for (int i = first; i < n; i++) {
            int end = causal ? i : n;
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < end; j++) if (j != i) best = Math.max(best, s[i][j]);
            int ties = 0, hits = 0;
            for (int j = 0; j < end; j++) {
                if (j != i && s[i][j] >= best - TIE) {
                    ties++;
                    if (causal ? j == i - 1 : Math.abs(j - i) == 1) hits++;
                }
            }
            total += (double) hits / ties;
        }
        return total / (n - first);
    }

    private static double order(double[][] s) {
        int n = s.length;
        if (n > EXACT_ORDER_LIMIT) return sampledOrder(s);
        double wins = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                int dij = Math.abs(i - j);
                for (int k = 0; k < n; k++) {
                    if (k == i || Math.abs(i - k) <= dij) continue;
                    wins += compare(s[i][j], s[i][k]);
                    count++;
                }
            }
        }
        return wins / count;
    }

    /** Fixed-seed sample so the same matrix always gets the same score. */
    private static double sampledOrder(double[][] s) {
        int n = s.length;
        SplittableRandom r = new SplittableRandom(42);
        double wins = 0;
        int count = 0;
        while (count < ORDER_SAMPLES) {
            int i = r.nextInt(n), j = r.nextInt(n), k = r.nextInt(n);
            if (j == i || k == i || Math.abs(i - j) == Math.abs(i - k)) continue;
            if (Math.abs(i - j) > Math.abs(i - k)) { int t = j; j = k; k = t; }
            wins += compare(s[i][j], s[i][k]);
            count++;
        }
        return wins / count;
    }

    private static double neighbour(double[][] s) {
        int n = s.length;
        double wins = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int a = i - 1; a <= i + 1; a += 2) {
                if (a < 0 || a >= n) continue;
                for (int k = 0; k < n; k++) {
                    if (Math.abs(k - i) <= 1) continue;
                    wins += compare(s[i][a], s[i][k]);
                    count++;
                }
            }
        }
        return wins / count;
    }

    private static double compare(double near, double far) {
        return Math.abs(near - far) <= TIE ? 0.5 : near > far ? 1 : 0;
    }
}
