package org.nopelab.core.metrics;

/**
 * The lag profile of one state: c(d), the mean cosine of the hidden states at positions i and i - d, separately
 * for query positions in {@value #BINS} equal bins (early positions average over few keys, late ones over many, so
 * one curve would mix regimes), with the theory of uniform attention over the same pairs beside it: global causal
 * sqrt((i - d + 1)/(i + 1)), or, under a sliding window of w keys, [1 - d/w]+ once the window is full (Dawes et al.;
 * the caller passes it, Theory.uniformWindow, since theory already reads metrics). The theory describes attention outputs at small init (near-uniform attention,
 * no residual); for residual-stream states it is a reference, not a prediction. The recency gap of a bin is
 * c(1) - c(largest lag that bin has): how much nearer states are more alike than far ones.
 */
public record LagProfile(int[] binStart, int[] binEnd, double[][] cosine, double[][] theory, Integer window, double[] recencyGap) {
    public static final int BINS = 4;

    /** The predicted cosine of 1-based positions i and j. */
    @FunctionalInterface
    public interface PairTheory {
        double cosine(int i, int j);
    }

    /** From the mean similarity matrix; window: the keys a block attends to (null: global causal attention), recorded beside the theory's curve. */
    public static LagProfile of(double[][] mean, Integer window, PairTheory theoryOf) {
        int n = mean.length, bins = Math.min(BINS, n);
        int[] start = new int[bins], end = new int[bins];
        double[][] c = new double[bins][], t = new double[bins][];
        double[] gap = new double[bins];
        for (int b = 0; b < bins; b++) {
            start[b] = (int) ((long) n * b / bins);
            end[b] = (int) ((long) n * (b + 1) / bins); // queries start <= i < end
            c[b] = new double[end[b]];
            t[b] = new double[end[b]];
            for (int d = 0; d < end[b]; d++) {
                double sum = 0, theory = 0;
                int count = 0;
                for (int i = Math.max(start[b], d); i < end[b]; i++) {
                    sum += mean[i][i - d];
                    theory += theoryOf.cosine(i + 1, i - d + 1);
                    count++;
                }
                c[b][d] = sum / count;
                t[b][d] = theory / count;
            }
            gap[b] = end[b] >= 2 ? c[b][1] - c[b][end[b] - 1] : 0;
        }
        return new LagProfile(start, end, c, t, window, gap);
    }
}
