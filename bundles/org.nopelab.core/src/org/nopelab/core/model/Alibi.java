package org.nopelab.core.model;



/**
 * ALiBi (Press et al. 2022): head h adds -m_h |i - j| to the score of query i and key j before the softmax. The
 * slopes are theirs: for a power-of-two head count n, m_h = 2^(-B h/n), h = 1..n, with B = 8 (bias_max, as MPT's
 * alibi_bias_max); otherwise the n' = 2^floor(log2 n) slopes of n' heads followed by every other slope of 2n'
 * heads, as many as are missing. A large B sends every slope to 0, which is NoPE.
 */
public final class Alibi {
    private Alibi() {}

    public static double[] slopes(int heads, double biasMax) {
        int p = Integer.highestOneBit(heads);
        double[] first = powerOfTwo(p, biasMax);
        if (p == heads) return first;
        double[] out = java.util.Arrays.copyOf(first, heads);
        double[] more = powerOfTwo(2 * p, biasMax);
        for (int k = 0; k < heads - p; k++) out[p + k] = more[2 * k];
        return out;
    }

    private static double[] powerOfTwo(int n, double biasMax) {
        double[] s = new double[n];
        for (int h = 0; h < n; h++) s[h] = Math.pow(2, -biasMax * (h + 1) / n);
        return s;
    }

    /** The bias head h adds to the score of query i, key j. */
    public static double bias(double slope, int i, int j) {
        return -slope * Math.abs(i - j);
    }
}
