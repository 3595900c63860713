package org.nopelab.core.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nopelab.core.model.Tensor;

/** Position probes on hand-built states whose answer is known. */
class PositionProbeTest {
    /** h_i = [a, -a] with a = sqrt(i): the variance across coordinates is exactly i. */
    private static Tensor varianceEqualsPosition(int sequences, int n) {
        Tensor t = Tensor.zeros(sequences, n, 2);
        for (int s = 0; s < sequences; s++) {
            for (int i = 0; i < n; i++) {
                float a = (float) Math.sqrt(i);
                t.data()[(s * n + i) * 2] = a;
                t.data()[(s * n + i) * 2 + 1] = -a;
            }
        }
        return t;
    }

    @Test
    void varianceProbeIsExactWhenVarianceIsThePosition() {
        PositionProbe.Score score = PositionProbe.fit(varianceEqualsPosition(10, 8), PositionProbe.Features.variance);
        assertEquals(1.0, score.r2(), 1e-9);
        assertEquals(0.0, score.mae(), 1e-6);
        assertEquals(1.0, score.accuracy());
        assertEquals(8 * 7, score.trainTokens(), "8 of 10 sequences, positions 1..7");
        assertEquals(2 * 7, score.testTokens());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7}, score.meanPrediction(), 1e-6, "predicted = true position");
    }

    /** Per-position vectors normalised to mean 0 and variance exactly 1 (in float64), as a LayerNorm without affine part. */
    private static double[] normalised(int sequences, int n, int d, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] v = new double[sequences * n * d];
        for (int k = 0; k < sequences * n; k++) {
            double mean = 0, var = 0;
            for (int c = 0; c < d; c++) mean += (v[k * d + c] = random.nextGaussian() + 0.05 * (k % n)) / d;
            for (int c = 0; c < d; c++) var += (v[k * d + c] - mean) * (v[k * d + c] - mean) / d;
            for (int c = 0; c < d; c++) v[k * d + c] = (v[k * d + c] - mean) / Math.sqrt(var);
        }
        return v;
    }

    /**
     * At a LayerNorm output the variance across coordinates is 1 up to rounding: the variance probe would fit
     * rounding noise, so it is undefined (with the reason) in float32 and in float64 alike; the cosine probe is fitted.
     */
    @Test
    void varianceProbeIsUndefinedWhereTheVarianceIsFixedByNormalisation() {
        long[] shape = {40, 12, 64};
        double[] v = normalised(40, 12, 64, 3);
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) f[k] = (float) v[k];
        for (Tensor states : new Tensor[] {new Tensor(shape, f), Tensor.ofDoubles(shape, v)}) {
            String precision = states.precise() == null ? "float32" : "float64";
            PositionProbe.Score variance = PositionProbe.fit(states, PositionProbe.Features.variance);
            org.junit.jupiter.api.Assertions.assertFalse(variance.defined(), precision);
            org.junit.jupiter.api.Assertions.assertTrue(variance.undefined().contains("constant up to rounding"), variance.undefined());
            org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(variance.r2()) && Double.isNaN(variance.mae()), "no score for an undefined probe");
            assertEquals(32 * 11, variance.trainTokens());
            org.junit.jupiter.api.Assertions.assertTrue(PositionProbe.fit(states, PositionProbe.Features.cosine).defined(), precision + ": cosine features vary");
        }
    }

    /** A spread of 1e-6 of the feature's size is rounding in float32 but a resolvable signal in float64. */
    @Test
    void theThresholdFollowsThePrecisionOfTheStates() {
        double[][] design = new double[200][];
        for (int k = 0; k < design.length; k++) {
            double x = 1 + 1e-6 * Math.sin(k);
            design[k] = new double[] {x, x * x};
        }
        org.junit.jupiter.api.Assertions.assertNotNull(PositionProbe.degenerate(design, 1, 0x1p-24), "float32");
        // x and x^2 over a 1e-6 range: condition number ~1e6, far inside what float64 resolves (0.1 / 2^-53)
        org.junit.jupiter.api.Assertions.assertNull(PositionProbe.degenerate(design, 1, 0x1p-53), "float64 resolves it");
        double[][] collinear = new double[200][];
        for (int k = 0; k < collinear.length; k++) collinear[k] = new double[] {k, 2.0 * k + 1e-9 * Math.cos(k)};
        String why = PositionProbe.degenerate(collinear, 2, 0x1p-24);
        org.junit.jupiter.api.Assertions.assertTrue(why != null && why.contains("collinear"), String.valueOf(why));
    }
}
