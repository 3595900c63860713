package org.nopelab.core.metrics;

import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How much order a self-similarity matrix carries (the paper's "allowing the transformer to potentially
 * reconstruct the positions of tokens", made a number): hide the positions by shuffling rows and columns together,
 * recover an order from the shuffled matrix alone by spectral seriation (Atkins, Boman and Hendrickson 1998: sort
 * by the Fiedler vector of the similarity graph's Laplacian), and compare it with the true order by Kendall's tau
 * and Spearman's rho. A seriation has no direction, so both are taken in absolute value; their chance level is
 * that of a random order ({@link #chance}), not 0.
 */
public final class OrderRecovery {
    private OrderRecovery() {}

    /** |tau| and |rho| of one recovered order against the true one. */
    public record Score(double tau, double rho) {}

    /** A state's order recovery: |tau| and |rho| per sequence (mean, 95% interval), on the mean matrix, and their chance. */
    public record Result(Estimate tau, Estimate rho, double tauMeanMatrix, double rhoMeanMatrix, Chance chance, int sequences) {}

    /** The chance level of {@link Score} for n positions: the mean of |tau| and |rho| over random orders, and their 95th percentiles. */
    public record Chance(double tau, double tau95, double rho, double rho95) {}

    /**
     * Shuffles the positions of s with r, seriates the shuffled matrix and scores the recovered order; null for a
     * matrix with non-finite entries (hidden states that overflowed), which has no order to score.
     */
    public static Score score(double[][] s, SplittableRandom r) {
        int n = s.length;
        for (double[] row : s) for (double v : row) if (!Double.isFinite(v)) return null;
        int[] perm = shuffled(n, r); // shuffled row k holds true position perm[k]
        double[][] hidden = new double[n][n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) hidden[a][b] = s[perm[a]][perm[b]];
        double[] fiedler = fiedler(hidden), truth = new double[n];
        for (int k = 0; k < n; k++) truth[k] = perm[k];
        if (fiedler == null) { // no unique Fiedler vector, so no order: what a random one scores
            fiedler = new double[n];
            for (int k = 0; k < n; k++) fiedler[k] = r.nextDouble();
        }
        return new Score(abs(new KendallsCorrelation().correlation(fiedler, truth)), abs(new SpearmansCorrelation().correlation(fiedler, truth)));
    }

    /**
     * The Fiedler vector of s: the eigenvector of the second-smallest eigenvalue of L = D - W, with W the
     * off-diagonal similarities shifted so the smallest is 0 (a Laplacian needs non-negative weights; cosines can
     * be negative). Sorting positions by it gives the seriation. Null where the second-smallest eigenvalue is
     * repeated (a constant matrix: every vector orthogonal to 1 is an eigenvector), so there is no order to read.
     */
    public static double[] fiedler(double[][] s) {
        int n = s.length;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) min = Math.min(min, s[i][j]);
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                double w = s[i][j] - min;
                l[i][j] = -w;
                l[i][i] += w;
            }
        }
        EigenDecomposition eig;
        try {
            eig = new EigenDecomposition(new Array2DRowRealMatrix(l, false));
        } catch (org.apache.commons.math3.exception.MathIllegalStateException notConverged) {
            return null; // the solver found no eigenvectors to read an order from
        }
        double[] values = eig.getRealEigenvalues();
        int smallest = 0, second = -1;
        for (int k = 1; k < n; k++) if (values[k] < values[smallest]) smallest = k;
        for (int k = 0; k < n; k++) if (k != smallest && (second < 0 || values[k] < values[second])) second = k;
        double scale = 0;
        for (double v : values) scale = Math.max(scale, Math.abs(v));
        for (int k = 0; k < n; k++) {
            if (k != smallest && k != second && Math.abs(values[k] - values[second]) <= 1e-9 * Math.max(scale, 1e-300)) return null;
        }
        if (scale == 0) return null;
        return eig.getEigenvector(second).toArray();
    }

    /** |tau| and |rho| of random orders of n positions, from samples orders drawn with seed. */
    public static Chance chance(int n, int samples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] truth = new double[n], taus = new double[samples], rhos = new double[samples];
        for (int k = 0; k < n; k++) truth[k] = k;
        for (int t = 0; t < samples; t++) {
            int[] p = shuffled(n, r);
            double[] order = new double[n];
            for (int k = 0; k < n; k++) order[k] = p[k];
            taus[t] = abs(new KendallsCorrelation().correlation(order, truth));
            rhos[t] = abs(new SpearmansCorrelation().correlation(order, truth));
        }
        java.util.Arrays.sort(taus);
        java.util.Arrays.sort(rhos);
        int q = Math.min(samples - 1, (int) Math.ceil(0.95 * samples) - 1);
        return new Chance(java.util.Arrays.stream(taus).average().orElse(Double.NaN), taus[q], java.util.Arrays.stream(rhos).average().orElse(Double.NaN), rhos[q]);
    }

    /** A correlation that is undefined (a constant Fiedler vector: no order at all) counts as 0. */
    private static double abs(double c) {
        return Double.isNaN(c) ? 0 : Math.abs(c);
    }

    private static int[] shuffled(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int k = 0; k < n; k++) p[k] = k;
        for (int k = n - 1; k > 0; k--) {
            int j = r.nextInt(k + 1), t = p[k];
            p[k] = p[j];
            p[j] = t;
        }
        return p;
    }
}
