package org.nopelab.core.internal.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nopelab.kernels.ActivationKernel;
import org.nopelab.kernels.AttentionKernel;
import org.nopelab.kernels.LayerNormKernel;

/**
 * Each fused kernel against its plain formula in float64, on odd sizes (vector tails, padding) and on 1 and 2
 * threads. Tolerances are stated per kernel: float32 arithmetic on O(1) values, so a few 1e-7 relative.
 */
class FusedKernelsTest {
    private static final NormalDistribution N01 = new NormalDistribution(0, 1);

    @Test
    void theSuiteRunsTheKernels() {
        // the harness starts the JVM with the incubator module: the engine under test is the fused one
        assertTrue(KernelSupport.available(), KernelSupport.describe());
    }

    static ByteBuffer floats(double[] v) {
        ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < v.length; i++) b.putFloat(4 * i, (float) v[i]);
        return b;
    }

    static ByteBuffer empty(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
    }

    static double[] read(ByteBuffer b, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = b.getFloat(4 * i);
        return v;
    }

    static double[] random(int n, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (scale * (2 * r.nextDouble() - 1)); // float32 values, exactly
        return v;
    }

    /** max |a - b| <= tol * max(1, max |b|). */
    static void close(double[] expected, double[] actual, double tol, String what) {
        double scale = 1, worst = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= tol * scale, what + ": max |kernel - formula| " + worst + " > " + tol + " x " + scale);
    }

    @ParameterizedTest
    @CsvSource({"37, 45, 1", "37, 45, 2", "64, 64, 2", "5, 3, 2", "1920, 64, 1", "33, 256, 2"})
    void layerNormMatchesItsFormula(int rows, int d, int threads) {
        double eps = 1e-5;
        double[] x = random(rows * d, 3, 1), g = random(d, 1.5, 2), be = random(d, 0.5, 3), dy = random(rows * d, 1, 4);
        double[] y = new double[rows * d], xhat = new double[rows * d], inv = new double[rows], dx = new double[rows * d];
        double[] dg = new double[d], db = new double[d];
        for (int r = 0; r < rows; r++) {
            double mean = 0, var = 0;
            for (int i = 0; i < d; i++) mean += x[r * d + i] / d;
            for (int i = 0; i < d; i++) var += Math.pow(x[r * d + i] - mean, 2) / d;
            inv[r] = 1 / Math.sqrt(var + eps);
            double m1 = 0, m2 = 0;
            for (int i = 0; i < d; i++) {
                int k = r * d + i;
                xhat[k] = (x[k] - mean) * inv[r];
                y[k] = xhat[k] * g[i] + be[i];
                m1 += dy[k] * g[i] / d;
                m2 += dy[k] * g[i] * xhat[k] / d;
                dg[i] += dy[k] * xhat[k];
                db[i] += dy[k];
            }
            for (int i = 0; i < d; i++) dx[r * d + i] = inv[r] * (dy[r * d + i] * g[i] - m1 - xhat[r * d + i] * m2);
        }
        ByteBuffer by = empty(rows * d), bh = empty(rows * d), bi = empty(rows), bdx = empty(rows * d), bdg = empty(d), bdb = empty(d);
        LayerNormKernel.forward(floats(x), floats(g), floats(be), by, bh, bi, rows, d, eps, threads);
        close(y, read(by, rows * d), 1e-6, "y");
        close(xhat, read(bh, rows * d), 1e-6, "xhat");
        close(inv, read(bi, rows), 1e-6, "inv");
        // without a backward there is no xhat to write; y and inv are the same bits
        ByteBuffer by2 = empty(rows * d), bi2 = empty(rows);
        LayerNormKernel.forward(floats(x), floats(g), floats(be), by2, null, bi2, rows, d, eps, threads);
        assertArrayEquals(read(by, rows * d), read(by2, rows * d), "y without xhat");
        assertArrayEquals(read(bi, rows), read(bi2, rows), "inv without xhat");
        LayerNormKernel.backward(floats(dy), floats(xhat), floats(inv), floats(g), bdx, bdg, bdb, rows, d, threads);
        close(dx, read(bdx, rows * d), 2e-6, "dx");
        close(dg, read(bdg, d), 2e-6, "dgamma");
        close(db, read(bdb, d), 2e-6, "dbeta");
    }

    /**
     * Exact GELU: Phi within 2e-7 absolute and, below 1/2, within (1e-6 + 1e-7 x^2) of itself (the tail keeps its
     * relative accuracy: 1.2e-5 at Phi(-10.5) ~ 5e-26); gelu' within 1e-6. The tanh form within 1e-6.
     */
    @ParameterizedTest
    @CsvSource({"1", "2"})
    void geluMatchesItsFormula(int threads) {
        int rows = 7, f = 301; // x runs over [-10.5, 10.5] in steps of 0.01
        double[] x = new double[rows * f], bias = new double[f], dy = random(rows * f, 1, 5);
        for (int k = 0; k < x.length; k++) x[k] = (float) (-10.5 + 0.01 * k);
        for (int i = 0; i < f; i++) bias[i] = (float) (0.001 * (i % 7));
        for (boolean tanh : new boolean[] {false, true}) {
            double[] h = new double[x.length], a = new double[x.length], cdf = new double[x.length], dh = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                double v = (float) (x[k] + bias[k % f]); // the kernel adds in float32
                h[k] = v;
                if (tanh) {
                    double u = Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v), t = Math.tanh(u);
                    a[k] = 0.5 * v * (1 + t);
                    dh[k] = dy[k] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * v * v));
                } else {
                    cdf[k] = N01.cumulativeProbability(v);
                    a[k] = v * cdf[k];
                    dh[k] = dy[k] * (cdf[k] + v * N01.density(v));
                }
            }
            ByteBuffer bh = floats(x), ba = empty(x.length), bc = empty(x.length);
            ActivationKernel.biasGelu(bh, floats(bias), ba, bc, rows, f, tanh, threads);
            close(h, read(bh, x.length), 1e-7, "h + bias");
            close(a, read(ba, x.length), 1e-6, (tanh ? "tanh" : "erf") + " gelu");
            if (!tanh) {
                double[] got = read(bc, x.length);
                for (int k = 0; k < x.length; k++) {
                    double err = Math.abs(got[k] - cdf[k]);
                    // the tail's relative error grows with the float32 rounding of x^2 / 2 in exp(-x^2 / 2)
                    double relative = 1e-6 + 1e-7 * h[k] * h[k];
                    assertTrue(err <= 2e-7 && (cdf[k] >= 0.5 || err <= relative * cdf[k]), "Phi(" + h[k] + ") = " + got[k] + ", exact " + cdf[k]);
                }
            }
            ByteBuffer bd = floats(dy);
            ActivationKernel.geluBackward(bh, bc, bd, rows, f, tanh, threads);
            close(dh, read(bd, x.length), 1e-6, (tanh ? "tanh" : "erf") + " gelu'");
            ByteBuffer inPlace = floats(x); // a pass without backward: a written over h, no cdf
            ActivationKernel.biasGelu(inPlace, floats(bias), inPlace, null, rows, f, tanh, threads);
            assertArrayEquals(read(ba, x.length), read(inPlace, x.length), (tanh ? "tanh" : "erf") + " gelu in place: the same values as into a separate array");
        }
    }

    /**
     * Attention and its backward against softmax(q k^T scale + bias) v in float64, for each mask, a window, ALiBi,
     * head_dim 16 (whole vectors) and 5 (scalar head loops), n 37 (padded rows).
     */
    @ParameterizedTest
    @CsvSource({"true, 0, false, 16, 1", "false, 0, false, 16, 2", "true, 6, false, 16, 2", "true, 0, true, 16, 1",
            "false, 0, true, 5, 1", "true, 4, true, 5, 2", "true, 0, false, 32, 1"})
    void attentionMatchesItsFormula(boolean causal, int window, boolean alibi, int hd, int threads) {
        int b = 2, n = 37, heads = 3, d = heads * hd;
        float scale = (float) (1 / Math.sqrt(hd));
        float[] slopes = alibi ? new float[] {0.5f, 0.25f, 0.125f} : null;
        double[] qkv = random(b * n * 3 * d, 1.5, 6), gOut = random(b * n * d, 1, 7);
        double[] out = new double[b * n * d], p = new double[b * heads * n * n], dQkv = new double[qkv.length];
        for (int s = 0; s < b; s++) {
            for (int h = 0; h < heads; h++) {
                double[][] pr = new double[n][n];
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double[] sc = new double[n];
                    for (int j = 0; j < n; j++) {
                        boolean seen = !causal || (j <= i && (window == 0 || i - j < window));
                        if (!seen) {
                            sc[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int c = 0; c < hd; c++) dot += q(qkv, s, i, h, c, 0, n, d, hd) * q(qkv, s, j, h, c, 1, n, d, hd);
                        sc[j] = dot * scale - (alibi ? slopes[h] * Math.abs(i - j) : 0);
                        max = Math.max(max, sc[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += sc[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(sc[j] - max);
                    for (int j = 0; j < n; j++) {
                        pr[i][j] = sc[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(sc[j] - max) / sum;
                        p[((s * heads + h) * n + i) * n + j] = pr[i][j];
                        for (int c = 0; c < hd; c++) out[(s * n + i) * d + h * hd + c] += pr[i][j] * q(qkv, s, j, h, c, 2, n, d, hd);
                    }
                }
                // backward: dV = P^T dO, dP = dO V^T, dS = P (dP - rowsum(P dP)) scale, dQ = dS K, dK = dS^T Q
                for (int i = 0; i < n; i++) {
                    double[] dP = new double[n];
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < hd; c++) dP[j] += gOut[(s * n + i) * d + h * hd + c] * q(qkv, s, j, h, c, 2, n, d, hd);
                        dot += pr[i][j] * dP[j];
                    }
                    for (int j = 0; j < n; j++) {
                        double dS = pr[i][j] * (dP[j] - dot) * scale;
                        for (int c = 0; c < hd; c++) {
                            dQkv[at(s, i, h, c, 0, n, d, hd)] += dS * q(qkv, s, j, h, c, 1, n, d, hd);
                            dQkv[at(s, j, h, c, 1, n, d, hd)] += dS * q(qkv, s, i, h, c, 0, n, d, hd);
                            dQkv[at(s, j, h, c, 2, n, d, hd)] += pr[i][j] * gOut[(s * n + i) * d + h * hd + c];
                        }
                    }
                }
            }
        }
        AttentionKernel.Shape shape = new AttentionKernel.Shape(b, n, heads, hd, causal, window, slopes, scale);
        ByteBuffer bq = floats(qkv), bo = empty(out.length), bp = empty(p.length), bd = empty(qkv.length);
        AttentionKernel.forward(bq, bo, bp, shape, threads);
        close(out, read(bo, out.length), 1e-6, "out");
        close(p, read(bp, p.length), 1e-6, "p");
        ByteBuffer bNoP = empty(out.length);
        AttentionKernel.forward(bq, bNoP, null, shape, threads); // without kept probabilities: the same output
        close(out, read(bNoP, out.length), 1e-6, "out without p");
        AttentionKernel.backward(bq, bp, floats(gOut), bd, shape, threads);
        close(dQkv, read(bd, qkv.length), 2e-6, "dQkv");
    }

    /** slot 0, 1, 2: q, k, v of sequence s, position i, head h, dimension c in [b * n, 3 d]. */
    private static double q(double[] qkv, int s, int i, int h, int c, int slot, int n, int d, int hd) {
        return qkv[at(s, i, h, c, slot, n, d, hd)];
    }

    private static int at(int s, int i, int h, int c, int slot, int n, int d, int hd) {
        return (s * n + i) * 3 * d + slot * d + h * hd + c;
    }
}
