package org.nopelab.core.probe;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;
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
 * rounded prediction (clamped to 1..n-1 before rounding).
 * <p>
 * A probe is <em>undefined</em> (scores NaN, with the reason) when its features cannot carry a signal at the
 * states' precision: at a LayerNorm output the variance across coordinates is fixed by the normalisation and
 * spreads only by rounding (6e-7..1e-6 relative in float32), so a probe on it fits noise and moves with the
 * engine's precision. Two tests, both relative to the unit roundoff u of the states (2^-24 float32, 2^-53 float64):
 * a feature whose spread over the training rows is below {@value #SPREAD_IN_ROUNDOFFS} u of its magnitude, or a
 * design whose condition number (columns centred and scaled) exceeds {@value #CONDITION_TIMES_ROUNDOFF} / u: the
 * fitted coefficients would then be dominated by rounding of the features.
 */
public final class PositionProbe {
    public static final double TRAIN_FRACTION = 0.8;
    /** A feature spread below this many unit roundoffs of its magnitude is rounding, not signal. */
    public static final double SPREAD_IN_ROUNDOFFS = 1000;
    /** cond * u above this: the relative error of the coefficients from rounding of the features exceeds it. */
    public static final double CONDITION_TIMES_ROUNDOFF = 0.1;

    private PositionProbe() {}

    public enum Features { cosine, variance }

    /**
     * Held-out scores of one probe, and its mean held-out prediction for each true position 1..n-1
     * (predicted vs true position: a perfect probe lies on the diagonal). {@code undefined} is null for a
     * probe that was fitted, else why it was not (then the scores are NaN).
     */
    public record Score(double r2, double mae, double accuracy, int trainTokens, int testTokens, double[] meanPrediction, String undefined) {
        public boolean defined() {
            return undefined == null;
        }

        static Score undefined(int trainTokens, int testTokens, int positions, String why) {
            double[] none = new double[positions - 1];
            java.util.Arrays.fill(none, Double.NaN);
            return new Score(Double.NaN, Double.NaN, Double.NaN, trainTokens, testTokens, none, why);
        }
    }

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
        return fitRows(trainX, trainY, testX, testY, n, featureCount(features), states.unitRoundoff());
    }

    /**
     * Least squares of the targets (whole numbers 1..n-1) on the training rows, scored on the test rows: the one fit
     * of the absolute and the relative probes. raw: the features before their squares; u: the states' unit roundoff.
     */
    static Score fitRows(List<double[]> trainX, List<Double> trainY, List<double[]> testX, List<Double> testY, int n, int raw, double u) {
        double[][] design = trainX.toArray(double[][]::new);
        String degenerate = degenerate(design, raw, u);
        if (degenerate != null) return Score.undefined(trainX.size(), testX.size(), n, degenerate);
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(trainY.stream().mapToDouble(Double::doubleValue).toArray(), design);
        double[] beta;
        try {
            beta = ols.estimateRegressionParameters(); // intercept first
        } catch (SingularMatrixException e) {
            return Score.undefined(trainX.size(), testX.size(), n, "the least-squares design is singular");
        }
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
        return new Score(1 - sse / sst, abs / testX.size(), (double) right / testX.size(), trainX.size(), testX.size(), meanPrediction, null);
    }

    /** Raw features per row before their squares are appended. */
    private static int featureCount(Features f) {
        return f == Features.variance ? 1 : 3;
    }

    /**
     * Why a design cannot be fitted at precision u, or null: a raw feature whose spread is rounding, or a
     * condition number beyond CONDITION_TIMES_ROUNDOFF / u.
     */
    static String degenerate(double[][] design, int raw, double u) {
        int rows = design.length, cols = design[0].length;
        double[] mean = new double[cols], sd = new double[cols];
        for (double[] r : design) for (int j = 0; j < cols; j++) mean[j] += r[j] / rows;
        for (double[] r : design) for (int j = 0; j < cols; j++) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / rows;
        for (int j = 0; j < cols; j++) sd[j] = Math.sqrt(sd[j]);
        for (int j = 0; j < raw; j++) {
            double scale = Math.max(Math.abs(mean[j]), Double.MIN_NORMAL);
            if (!(sd[j] >= SPREAD_IN_ROUNDOFFS * u * scale)) {
                return String.format("feature %d spreads by %.2g of its size %.3g, within %.0f unit roundoffs (%.2g) of the states' precision:"
                        + " the feature is constant up to rounding (as the variance at a LayerNorm output is)", j + 1, sd[j] / scale, mean[j],
                        SPREAD_IN_ROUNDOFFS, SPREAD_IN_ROUNDOFFS * u);
            }
        }
        // the correlation matrix of the columns: its condition number is the squared one of the scaled design
        RealMatrix corr = MatrixUtils.createRealMatrix(cols, cols);
        for (double[] r : design) {
            for (int i = 0; i < cols; i++) {
                double zi = (r[i] - mean[i]) / sd[i];
                for (int j = 0; j <= i; j++) corr.addToEntry(i, j, zi * (r[j] - mean[j]) / sd[j] / rows);
            }
        }
        for (int i = 0; i < cols; i++) for (int j = 0; j < i; j++) corr.setEntry(j, i, corr.getEntry(i, j));
        double[] eigen = new EigenDecomposition(corr).getRealEigenvalues();
        double max = java.util.Arrays.stream(eigen).max().orElse(0), min = java.util.Arrays.stream(eigen).min().orElse(0);
        double condition = min <= 0 ? Double.POSITIVE_INFINITY : Math.sqrt(max / min);
        if (!(condition <= CONDITION_TIMES_ROUNDOFF / u)) {
            return String.format("the features are collinear: condition number %.2g of the scaled design exceeds %.2g, what the states' precision resolves",
                    condition, CONDITION_TIMES_ROUNDOFF / u);
        }
        return null;
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
        double[] norm = new double[b * n];
        for (int k = 0; k < b * n; k++) {
            double sq = 0;
            for (int c = 0; c < d; c++) sq += states.at(k * d + c) * states.at(k * d + c);
            norm[k] = Math.sqrt(sq);
        }
        for (int s = 0; s < b; s++) {
            for (int i = 1; i < n; i++) {
                double first = cos(states, norm, d, s * n + i, s * n), previous = cos(states, norm, d, s * n + i, s * n + i - 1), past = 0;
                for (int j = 0; j < i; j++) past += cos(states, norm, d, s * n + i, s * n + j);
                rows[s * n + i] = withSquares(first, previous, past / i);
            }
        }
        return rows;
    }

    private static double cos(Tensor a, double[] norm, int d, int p, int q) {
        if (norm[p] == 0 || norm[q] == 0) return 0;
        double dot = 0;
        for (int c = 0; c < d; c++) dot += a.at(p * d + c) * a.at(q * d + c);
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
