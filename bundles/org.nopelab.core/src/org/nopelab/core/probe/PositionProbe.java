package org.nopelab.core.probe;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.nopelab.core.metrics.PositionSignals;
import org.nopelab.core.model.Tensor;

/**
 * Position probes (paper-spec §5; the protocol is ours). From one layer's hidden states, predict each token's
 * absolute position i (positions 1..n-1; position 0 has no past) by least squares (Apache Commons Math OLS)
 * on one of two feature sets, each with its squares so both get the same flexibility:
 * <ul>
 * <li>{@link Features#variance}: v_i, the variance across coordinates (Chi et al.);</li>
 * <li>{@link Features#cosine}: cos(h_i, h_0), cos(h_i, h_{i-1}) and the mean cosine to the past - features
 * whose number does not depend on i, so they cannot leak position through their shape.</li>
 * </ul>
 * Fitted on the first 80% of sequences, scored on the rest: R^2, mean absolute error, and accuracy of the
 * rounded prediction.
 */
public final class PositionProbe {
    public static final double TRAIN_FRACTION = 0.8;

    private PositionProbe() {}

    public enum Features { cosine, variance }

    /**
     * Held-out scores of one probe, and its mean held-out prediction for each true position 1..n-1
     * (predicted vs true position: a perfect probe lies on the diagonal).
     */
    public record Score(double r2, double mae, double accuracy, int trainTokens, int testTokens, double[] meanPrediction) {}

    public static Score fit(Tensor states, Features features) {
        int b = states.dim(0), n = states.dim(1);
        int trainSequences = Math.max(1, (int) Math.round(b * TRAIN_FRACTION));
        if (trainSequences >= b) throw new IllegalArgumentException("probes need at least 2 sequences to hold one out; got " + b);
        double[][] x = features(states, features);
        List<double[]> trainX = new ArrayList<>(), testX = new ArrayList<>();
        List<Double> trainY = new ArrayList<>(), testY = new ArrayList<>();
        for (int s = 0; s < b; s++) {
            for (int i = 1; i < n; i++) {
                boolean train = s < trainSequences;
                (train ? trainX : testX).add(x[s * n + i]);
                (train ? trainY : testY).add((double) i);
            }
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(trainY.stream().mapToDouble(Double::doubleValue).toArray(), trainX.toArray(double[][]::new));
        double[] beta = ols.estimateRegressionParameters(); // intercept first
        double mean = testY.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sse = 0, sst = 0, abs = 0;
        int right = 0;
        double[] predictionSum = new double[n - 1];
        int[] predictionCount = new int[n - 1];
        for (int k = 0; k < testX.size(); k++) {
            double p = beta[0];
            for (int j = 0; j < testX.get(k).length; j++) p += beta[j + 1] * testX.get(k)[j];
            double y = testY.get(k);
            predictionSum[(int) y - 1] += p;
            predictionCount[(int) y - 1]++;
            sse += (p - y) * (p - y);
            sst += (y - mean) * (y - mean);
            abs += Math.abs(p - y);
            if (Math.round(Math.max(1, Math.min(n - 1, p))) == (long) y) right++;
        }
        double[] meanPrediction = new double[n - 1];
        for (int i = 0; i < n - 1; i++) meanPrediction[i] = predictionCount[i] == 0 ? Double.NaN : predictionSum[i] / predictionCount[i];
        return new Score(1 - sse / sst, abs / testX.size(), (double) right / testX.size(), trainX.size(), testX.size(), meanPrediction);
    }

    /** Feature rows for every (sequence, position), position 0's row unused. */
    static double[][] features(Tensor states, Features which) {
        int b = states.dim(0), n = states.dim(1), d = states.dim(2);
        double[][] rows = new double[b * n][];
        if (which == Features.variance) {
            double[][] v = PositionSignals.variance(states);
            for (int s = 0; s < b; s++) for (int i = 0; i < n; i++) rows[s * n + i] = withSquares(v[s][i]);
            return rows;
        }
        float[] a = states.data();
        double[] norm = new double[b * n];
        for (int k = 0; k < b * n; k++) {
            double sq = 0;
            for (int c = 0; c < d; c++) sq += (double) a[k * d + c] * a[k * d + c];
            norm[k] = Math.sqrt(sq);
        }
        for (int s = 0; s < b; s++) {
            for (int i = 1; i < n; i++) {
                double first = cos(a, norm, d, s * n + i, s * n), previous = cos(a, norm, d, s * n + i, s * n + i - 1), past = 0;
                for (int j = 0; j < i; j++) past += cos(a, norm, d, s * n + i, s * n + j);
                rows[s * n + i] = withSquares(first, previous, past / i);
            }
        }
        return rows;
    }

    private static double cos(float[] a, double[] norm, int d, int p, int q) {
        if (norm[p] == 0 || norm[q] == 0) return 0;
        double dot = 0;
        for (int c = 0; c < d; c++) dot += (double) a[p * d + c] * a[q * d + c];
        return dot / (norm[p] * norm[q]);
    }

    private static double[] withSquares(double... f) {
        double[] out = new double[2 * f.length];
        for (int k = 0; k < f.length; k++) {
            out[k] = f[k];
            out[f.length + k] = f[k] * f[k];
        }
        return out;
    }
}
