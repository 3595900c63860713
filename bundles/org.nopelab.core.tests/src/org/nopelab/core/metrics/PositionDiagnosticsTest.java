package org.nopelab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.theory.Theory;

/** Order recovery, lag profiles and attention statistics on constructed inputs whose answer is known. */
class PositionDiagnosticsTest {

    private static double[][] banded(int n) {
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i][j] = Math.exp(-Math.abs(i - j) / 3.0);
        return s;
    }

    @Test
    void aBandedMatrixSeriatesToThePerfectOrder() {
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < 5; k++) {
            OrderRecovery.Score s = OrderRecovery.score(banded(30), r);
            assertEquals(1, s.tau(), 1e-12);
            assertEquals(1, s.rho(), 1e-12);
        }
    }

    /** |tau| of a random order of 30 has mean sqrt(2/pi) sigma, sigma^2 = 2(2n+5)/(9n(n-1)) (its normal limit): 0.103. */
    @Test
    void chanceIsThatOfARandomOrder() {
        int n = 30;
        double sigma = Math.sqrt(2.0 * (2 * n + 5) / (9.0 * n * (n - 1)));
        OrderRecovery.Chance c = OrderRecovery.chance(n, 5000, 1);
        assertEquals(Math.sqrt(2 / Math.PI) * sigma, c.tau(), 0.004);
        assertTrue(c.tau95() > c.tau() && c.tau95() < 4 * sigma, c.toString());
    }

    /** A constant matrix and a position-blind noisy one carry no order: their mean |tau| is chance's, within sampling error. */
    @Test
    void matricesWithoutOrderScoreChance() {
        int n = 30, trials = 400;
        double[][] constant = new double[n][n];
        for (double[] row : constant) java.util.Arrays.fill(row, 0.4);
        assertNull(OrderRecovery.fiedler(constant));
        SplittableRandom r = new SplittableRandom(5);
        double chance = OrderRecovery.chance(n, 5000, 2).tau(), constantTau = 0, noiseTau = 0;
        for (int t = 0; t < trials; t++) {
            constantTau += OrderRecovery.score(constant, r).tau() / trials;
            double[][] noise = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) noise[i][j] = noise[j][i] = i == j ? 1 : r.nextDouble();
            noiseTau += OrderRecovery.score(noise, r).tau() / trials;
        }
        // standard error of a mean of 400 |tau| values: about 0.078 / 20 = 0.004
        assertEquals(chance, constantTau, 0.015);
        assertEquals(chance, noiseTau, 0.015);
    }

    /** Overflowed states give NaN similarities: no order to score (the eigensolver would not converge on them). */
    @Test
    void nonFiniteMatricesHaveNoOrder() {
        double[][] s = banded(10);
        s[3][4] = s[4][3] = Double.NaN;
        assertNull(OrderRecovery.score(s, new SplittableRandom(1)));
        s[3][4] = s[4][3] = Double.POSITIVE_INFINITY;
        assertNull(OrderRecovery.score(s, new SplittableRandom(1)));
    }

    @Test
    void windowTheoryIsTheOverlapOfTheTwoWindows() {
        assertEquals(Theory.t1(10, 4), Theory.uniformWindow(10, 4, Integer.MAX_VALUE), 1e-15);
        assertEquals(1 - 3.0 / 8, Theory.uniformWindow(20, 17, 8), 1e-15); // full windows at lag 3: [1 - d/w]+
        assertEquals(0, Theory.uniformWindow(20, 10, 8), 0);
        assertEquals(1 / Math.sqrt(2 * 8), Theory.uniformWindow(9, 2, 8), 1e-15); // A_2 = {1, 2}, A_9 = {2..9}: they share {2}
    }

    /**
     * Uniform causal attention over i.i.d. isotropic values (h_i = mean of x_0..x_i): the measured lag profile
     * follows sqrt((i - d + 1)/(i + 1)) within sampling error (width 512, 64 sequences).
     */
    @Test
    void uniformAttentionGivesTheTheoryCurve() {
        int n = 24, d = 512, sequences = 64;
        SplittableRandom r = new SplittableRandom(11);
        double[][] mean = new double[n][n];
        for (int q = 0; q < sequences; q++) {
            double[][] h = new double[n][d];
            double[] sum = new double[d];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    sum[k] += r.nextGaussian();
                    h[i][k] = sum[k] / (i + 1);
                }
            }
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) mean[i][j] += cos(h[i], h[j]) / sequences;
        }
        LagProfile p = LagProfile.of(mean, null, (i, j) -> Theory.uniformWindow(i, j, Integer.MAX_VALUE));
        assertEquals(LagProfile.BINS, p.cosine().length);
        for (int b = 0; b < LagProfile.BINS; b++) {
            for (int lag = 1; lag < p.cosine()[b].length; lag++) assertEquals(p.theory()[b][lag], p.cosine()[b][lag], 0.02, "bin " + b + " lag " + lag);
            assertTrue(b == 0 || p.recencyGap()[b] > 0, "nearer states are more alike");
        }
        // the theory itself, exactly: the late bin (queries 18..23) at lag 6 averages sqrt((i-5)/(i+1))
        double expected = 0;
        for (int i = 18; i < 24; i++) expected += Math.sqrt((i - 5.0) / (i + 1)) / 6;
        assertEquals(expected, p.theory()[3][6], 1e-12);
    }

    private static double cos(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int k = 0; k < a.length; k++) {
            ab += a[k] * b[k];
            aa += a[k] * a[k];
            bb += b[k] * b[k];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** Uniform causal attention: entropy log(i+1) at every query, sink rate mean 1/(i+1); offset-only scores: R^2 = 1, content-only: about 0. */
    @Test
    void attentionStatisticsOfKnownPatterns() {
        int b = 16, h = 2, n = 12;
        float[] p = new float[b * h * n * n], s = new float[b * h * n * n];
        SplittableRandom r = new SplittableRandom(9);
        for (int q = 0; q < b; q++) {
            for (int head = 0; head < h; head++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        int k = ((q * h + head) * n + i) * n + j;
                        p[k] = j <= i ? 1f / (i + 1) : 0f;
                        // head 0: an ALiBi-like bias, -0.5 (i - j); head 1: random content
                        s[k] = j > i ? Float.NEGATIVE_INFINITY : head == 0 ? -0.5f * (i - j) : (float) r.nextGaussian();
                    }
                }
            }
        }
        long[] shape = {b, h, n, n};
        AttentionStats.Accumulator acc = new AttentionStats.Accumulator(1);
        acc.add(new Tensor(shape, p), new Tensor(shape, s));
        AttentionStats stats = acc.finish(head -> "attention/layer1-head" + head + ".csv");
        double sink = 0;
        for (int i = 1; i < n; i++) sink += 1.0 / (i + 1) / (n - 1);
        for (AttentionStats.Head head : stats.heads()) {
            for (int i = 0; i < n; i++) {
                assertEquals(Math.log(i + 1), head.entropyByPosition()[i], 1e-5);
                assertEquals(Math.log(i + 1), head.uniformEntropyByPosition()[i], 1e-12);
            }
            assertEquals(sink, head.sinkRate(), 1e-6);
            assertEquals(1.0 / 5, head.meanMatrix()[4][2], 1e-6);
            assertEquals(1.0 / 5, head.firstMatrix()[4][2], 1e-6);
        }
        assertEquals(1, stats.heads().get(0).offsetR2(), 1e-9);
        assertTrue(stats.heads().get(1).offsetR2() < 0.1, "content-only scores: " + stats.heads().get(1).offsetR2());
        assertEquals("attention/layer1-head1.csv", stats.heads().get(1).matrix());
        assertEquals("attention/layer1-head1-first.csv", stats.heads().get(1).firstSequence());
    }
}
