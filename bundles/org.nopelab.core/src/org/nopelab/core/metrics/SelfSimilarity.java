package org.nopelab.core.metrics;

import org.nopelab.core.model.Tensor;

/** The positions x positions self-similarity (SCS) matrix of each sequence of one layer's hidden states. */
public final class SelfSimilarity {
    private SelfSimilarity() {}

    /** @param states [batch, positions, width] @return [batch][positions][positions] */
    public static double[][][] perSequence(Tensor states, SimilarityKind kind) {
        int b = states.dim(0), n = states.dim(1), d = states.dim(2);
        double[][][] out = new double[b][n][n];
        double[][] v = new double[n][d];
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < n; t++) {
                int base = (s * n + t) * d;
                double mean = 0;
                if (kind == SimilarityKind.pearson) {
                    for (int c = 0; c < d; c++) mean += states.at(base + c);
                    mean /= d;
                }
                double norm = 0;
                for (int c = 0; c < d; c++) {
                    v[t][c] = states.at(base + c) - mean;
                    norm += v[t][c] * v[t][c];
                }
                if (kind != SimilarityKind.dot) {
                    norm = Math.sqrt(norm);
                    // a zero vector has no direction: its similarity is 0 rather than NaN
                    double inv = norm == 0 ? 0 : 1 / norm;
                    for (int c = 0; c < d; c++) v[t][c] *= inv;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += v[i][c] * v[j][c];
                    out[s][i][j] = out[s][j][i] = dot;
                }
            }
        }
        return out;
    }
}
