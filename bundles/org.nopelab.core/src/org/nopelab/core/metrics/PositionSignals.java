package org.nopelab.core.metrics;

import org.nopelab.core.model.Tensor;

/** Per-position curves: similarity by distance and the variance signal of Chi et al. */
public final class PositionSignals {
    private PositionSignals() {}

    /** Mean of S over each diagonal offset k = |i - j|, k = 0..n-1. */
    public static double[] similarityByDistance(double[][] s) {
        int n = s.length;
        double[] curve = new double[n];
        for (int k = 0; k < n; k++) {
            double sum = 0;
            for (int i = k; i < n; i++) sum += s[i][i - k];
            curve[k] = sum / (n - k);
        }
        return curve;
    }

    /** v_i = (1/d) sum_c (h_ic - mean_c h_i)^2 for each sequence: [batch][positions]. */
    public static double[][] variance(Tensor states) {
        int b = states.dim(0), n = states.dim(1), d = states.dim(2);
        double[][] v = new double[b][n];
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < n; t++) {
                int base = (s * n + t) * d;
                double mean = 0;
                for (int c = 0; c < d; c++) mean += states.at(base + c);
                mean /= d;
                double var = 0;
                for (int c = 0; c < d; c++) var += (states.at(base + c) - mean) * (states.at(base + c) - mean);
                v[s][t] = var / d;
            }
        }
        return v;
    }
}
