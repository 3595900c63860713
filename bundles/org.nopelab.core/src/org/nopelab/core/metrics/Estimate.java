package org.nopelab.core.metrics;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A mean over independent samples (sequences, or a sweep's seeds) with a 95% interval, mean +- t(0.975, n-1)
 * standard errors: Student's quantile, because a sweep may have only 3 seeds (t = 4.30 there, 1.96 for many
 * sequences). n is reported beside it. For a bounded quantity the interval is clipped to its range
 * ({@link Bounds}; {@code clipped} says so): a probability's band never leaves [0, 1].
 */
public record Estimate(double mean, double ci95Low, double ci95High, int n, boolean clipped) {
    /** Fewer samples than this give an interval that says little (t(0.975, 1) = 12.7): charts and reports say so. */
    public static final int FEW = 3;

    public Estimate(double mean, double ci95Low, double ci95High, int n) {
        this(mean, ci95Low, ci95High, n, false);
    }

    /** True when the interval rests on fewer than {@link #FEW} samples. */
    public boolean few() {
        return n < FEW;
    }

    /** This estimate with its interval kept inside [low, high]. */
    public Estimate within(Bounds b) {
        double lo = Math.max(ci95Low, b.low()), hi = Math.min(ci95High, b.high());
        return lo == ci95Low && hi == ci95High ? this : new Estimate(mean, lo, hi, n, true);
    }

    public static Estimate of(double[] xs) {
        int n = xs.length;
        double mean = 0;
        for (double x : xs) mean += x;
        mean /= n;
        if (n < 2) return new Estimate(mean, mean, mean, n);
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        double half = t975(n) * Math.sqrt(ss / (n - 1) / n);
        return new Estimate(mean, mean - half, mean + half, n);
    }

    /** Student's t(0.975, n - 1): the half-width of a 95% interval in standard errors, for n >= 2 samples. */
    public static double t975(int n) {
        return new TDistribution(null, n - 1).inverseCumulativeProbability(0.975);
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
