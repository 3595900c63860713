package org.nopelab.core.theory;

/**
 * Closed-form predictions of the self-cosine-similarity matrix (paper-spec §3), 1-based positions i, j.
 * <ul>
 * <li>T1: uniform causal attention over i.i.d. isotropic values, no residual: cos(a_i, a_j) = sqrt(min/max).
 * <li>T2: the same with a residual, h_i = x_i + a_i, rho = value-path variance / embedding variance.
 * <li>K (Kim et al. 2025): the parameter-free layer softmax(causal(Y Y^T)) Y + X on unit-norm inputs whose
 * pairwise inner products are alpha.
 * </ul>
 */
public final class Theory {
    private Theory() {}

    /** The theories by name, as views and the report offer them. */
    public enum Kind { t1, t2, k }

    public static double t1(int i, int j) {
        return i == j ? 1 : Math.sqrt((double) Math.min(i, j) / Math.max(i, j));
    }

    /**
     * Uniform attention over a window of w keys (sliding-window attention; w = Integer.MAX_VALUE for global causal
     * attention) over i.i.d. isotropic values, no residual: position i averages the values of A_i = [i - w + 1, i]
     * (1-based, clipped at 1), so cos(a_i, a_j) = |A_i n A_j| / sqrt(|A_i| |A_j|). Global: T1's sqrt(min/max); a full
     * window at lag d: [1 - d/w]+ (Dawes et al.). Applies where attention is close to uniform (small init).
     */
    public static double uniformWindow(int i, int j, int w) {
        int lo = Math.min(i, j), hi = Math.max(i, j);
        long aLo = Math.max(1L, (long) lo - w + 1), aHi = Math.max(1L, (long) hi - w + 1);
        long sizeLo = lo - aLo + 1, sizeHi = hi - aHi + 1, overlap = Math.max(0, lo - Math.max(aLo, aHi) + 1);
        return overlap / Math.sqrt((double) sizeLo * sizeHi);
    }

    public static double t2(int i, int j, double rho) {
        if (i == j) return 1;
        int a = Math.min(i, j), b = Math.max(i, j);
        return (rho / b) / Math.sqrt((1 + rho / a) * (1 + rho / b));
    }

    /** K for j != i: g(max)/(h(max) h(min)), with D = e + (i-1)e^alpha, as written in paper-spec §3. */
    public static double k(int i, int j, double alpha) {
        if (i == j) return 1;
        int a = Math.max(i, j), b = Math.min(i, j);
        return g(a, alpha) / (h(a, alpha) * h(b, alpha));
    }

    private static double denominator(int i, double alpha) {
        return Math.E + (i - 1) * Math.exp(alpha);
    }

    static double g(int i, double alpha) {
        double ea = Math.exp(alpha);
        return 2 * (2 * alpha * Math.E + ea * (1 + alpha * (2 * i - 3))) / denominator(i, alpha);
    }

    static double h(int i, double alpha) {
        double ea = Math.exp(alpha), s = 2 * Math.E + (i - 1) * ea, dd = denominator(i, alpha);
        return Math.sqrt(s * s + 2 * s * ea * alpha * (i - 1) + ea * ea * (i - 1) * (1 + (i - 2) * alpha)) / dd;
    }

    /** The n x n matrix of a theory (0-based rows and columns are positions 1..n). */
    public static double[][] matrix(Kind kind, int n, double parameter) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = switch (kind) {
                    case t1 -> t1(i + 1, j + 1);
                    case t2 -> t2(i + 1, j + 1, parameter);
                    case k -> k(i + 1, j + 1, parameter);
                };
            }
        }
        return m;
    }

    /**
     * alpha of K measured on an input layer: the mean off-diagonal entry of its mean similarity matrix, i.e. the
     * average cosine of two different positions' embeddings.
     */
    public static double alpha(double[][] inputLayer) {
        double sum = 0;
        int n = inputLayer.length, count = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) { sum += inputLayer[i][j]; count++; }
        return count == 0 ? 0 : sum / count;
    }
}
