package org.nopelab.core.metrics;

import org.nopelab.core.model.Tensor;

/** The positions x positions self-similarity (SCS) matrix of each sequence of one layer's hidden states. */
public final class SelfSimilarity {
    private SelfSimilarity() {}

    /** @param states [batch, positions, width] @return [batch][positions][positions] */
    public static double[][][] perSequence(Tensor states, SimilarityKind kind) {
        int b = states.dim(0), n = states.dim(1), d = states.dim(2);
        double[][][] out = new double[b][n][n];
        double[] v = rows(states, kind);
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    int a = (s * n + i) * d, c0 = (s * n + j) * d;
                    for (int c = 0; c < d; c++) dot += v[a + c] * v[c0 + c];
                    out[s][i][j] = out[s][j][i] = dot;
                }
            }
        }
        return out;
    }

    /**
     * The states as the kind's row vectors, [batch * positions * width] in float64: centred on each row's mean for
     * pearson, scaled to unit length for cosine and pearson (a zero vector has no direction: it stays 0, so its
     * similarity is 0 rather than NaN), as they are for dot. Similarities are these rows' dot products; the engines'
     * batched matmul takes the same rows.
     */
    public static double[] rows(Tensor states, SimilarityKind kind) {
        return rows(states, kind, 0, states.dim(0));
    }

    /** The rows of sequences [from, to) only, [(to - from) * positions * width]. */
    public static double[] rows(Tensor states, SimilarityKind kind, int from, int to) {
        int n = states.dim(1), d = states.dim(2), rows = (to - from) * n, first = from * n * d;
        double[] h = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            int at = r * d, src = first + at;
            double mean = 0;
            if (kind == SimilarityKind.pearson) {
                for (int k = 0; k < d; k++) mean += states.at(src + k);
                mean /= d;
            }
            double sq = 0;
            for (int k = 0; k < d; k++) {
                double v = states.at(src + k) - mean;
                h[at + k] = v;
                sq += v * v;
            }
            if (kind == SimilarityKind.dot || sq == 0) continue;
            double inv = 1 / Math.sqrt(sq);
            for (int k = 0; k < d; k++) h[at + k] *= inv;
        }
        return h;
    }
}
