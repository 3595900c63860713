package org.nopelab.core.internal.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nopelab.nd4j.Nd4jContext;

/**
 * The direct BLAS products against the plain triple loop in float64, for every transpose, with and without a bias,
 * float32 and float64, on whole arrays (the BLAS call) and on a view (ND4J's matmul, the fallback); and the DSYRK
 * Gram matrices, mirrored, and the column sums (GEMV) against the loop. Tolerance: k * 2^-24 relative for float32 inputs of O(1), 1e-13 for float64.
 */
class GemmTest {
    static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (2 * r.nextDouble() - 1); // float32 values exactly
        return v;
    }

    /** [rows, cols] of values, as stored (row-major). */
    static INDArray array(double[] v, int rows, int cols, DataType dt) {
        if (dt == DataType.DOUBLE) return Writes.doubles(v, rows, cols);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Writes.floats(f, rows, cols);
    }

    @ParameterizedTest(name = "{0}x{1}x{2} ta={3} tb={4} bias={5} {6} view={7}")
    @CsvSource({"37,19,23,false,true,true,FLOAT,false", "37,19,23,false,false,false,FLOAT,false", "37,19,23,true,false,false,FLOAT,false",
            "5,64,3,true,true,true,FLOAT,false", "37,19,23,false,true,true,DOUBLE,false", "16,8,12,true,false,false,DOUBLE,false",
            "37,19,23,false,true,true,FLOAT,true", "11,7,5,false,false,false,DOUBLE,true"})
    void productEqualsTheLoop(int m, int k, int n, boolean ta, boolean tb, boolean withBias, DataType dt, boolean view) {
        Nd4jContext.run(() -> {
            double[] a = random(m * k, 1), b = random(k * n, 2), bias = random(n, 3);
            // stored as the call reads them: a^T stored [k, m] when ta, b^T stored [n, k] when tb
            INDArray sa = ta ? array(transpose(a, m, k), k, m, dt) : array(a, m, k, dt);
            INDArray sb = tb ? array(transpose(b, k, n), n, k, dt) : array(b, k, n, dt);
            if (view) sa = sa.dup('f'); // the same values, column-major: not whole, so ND4J's matmul runs
            INDArray c = withBias ? Gemm.product(sa, ta, sb, tb, array(bias, 1, n, dt)) : Gemm.product(sa, ta, sb, tb);
            assertEquals(m, c.size(0));
            assertEquals(n, c.size(1));
            double tol = dt == DataType.FLOAT ? k * 0x1p-24 * 4 : 1e-13;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double want = withBias ? bias[j] : 0;
                    for (int q = 0; q < k; q++) want += a[i * k + q] * b[q * n + j];
                    assertEquals(want, c.getDouble(i, j), tol, "c[" + i + "][" + j + "]");
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({"37,19,FLOAT", "1920,7,FLOAT", "5,3,DOUBLE", "1,1,FLOAT"})
    void columnSumsAreTheLoop(int m, int n, DataType dt) {
        Nd4jContext.run(() -> {
            double[] a = random(m * n, 5);
            INDArray sums = Gemm.columnSums(array(a, m, n, dt));
            assertEquals(n, sums.length());
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int i = 0; i < m; i++) want += a[i * n + j];
                assertEquals(want, sums.getDouble(j), dt == DataType.FLOAT ? m * 0x1p-24 * 2 : 1e-13, "column " + j);
            }
        });
    }

    @ParameterizedTest(name = "{0} sequences x {1} positions x {2}, fresh matrices {3}")
    @CsvSource({"3,7,5,false", "2,70,9,false", "1,1,4,false", "3,7,5,true"})
    void gramiansAreTheMirroredProducts(int count, int n, int d, boolean fresh) {
        Nd4jContext.run(() -> {
            double[] h = random(count * n * d, 4);
            double[][][] out = new double[count][][];
            java.util.Set<double[][]> handed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            Gemm.gramians(Writes.doubles(h, (long) count * n, d), count, n, d, fresh, (m, s) -> {
                handed.add(m);
                // a reused matrix is only valid until the next one: copied; a fresh one is kept as handed
                out[s] = fresh ? m : new double[n][];
                for (int i = 0; i < n && !fresh; i++) out[s][i] = m[i].clone();
            });
            assertEquals(fresh ? count : 1, handed.size(), "matrices handed on");
            for (int s = 0; s < count; s++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double want = 0;
                        for (int q = 0; q < d; q++) want += h[(s * n + i) * d + q] * h[(s * n + j) * d + q];
                        assertEquals(want, out[s][i][j], 1e-13, "s=" + s + " [" + i + "][" + j + "]");
                    }
                }
            }
        });
    }

    private static double[] transpose(double[] v, int rows, int cols) {
        double[] t = new double[v.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = v[i * cols + j];
        return t;
    }
}
