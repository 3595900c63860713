package org.nopelab.core.metrics;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A mean over independent samples (sequences, or a sweep's seeds) with a 95% interval, mean +- t(0.975, n-1)
 * standard errors: Student's quantile, because a sweep may have only 3 seeds (t = 4.30 there, 1.96 for many
 * sequences). n is reported beside it.
 */
public record Estimate(double mean, double ci95Low, double ci95High, int n) {
    public static Estimate of(double[] xs) {
        int n = xs.length;
        double mean = 0;
        for (double x : xs) mean += x;
        mean /= n;
        if (n < 2) return new Estimate(mean, mean, mean, n);
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        double half = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975) * Math.sqrt(ss / (n - 1) / n);
        return new Estimate(mean, mean - half, mean + half, n);
    }

    /** Column-wise estimates of [samples][positions]. */
    public static Estimate[] columns(double[][] xs) {
        Estimate[] out = new Estimate[xs[0].length];
        double[] col = new double[xs.length];
        for (int t = 0; t < out.length; t++) {
            for (int s = 0; s < xs.length; s++) col[s] = xs[s][t];
            out[t] = of(col);
        }
        return out;
    }
}
