package org.nopelab.core.internal.nd4j;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasLower;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.nio.ByteOrder;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine's 2-D matrix products as one BLAS call on the arrays' own buffers (the OpenBLAS ND4J loaded, with the
 * threads ND4J set): Nd4j.matmul wraps the same GEMM in a custom op whose shape checks, output-shape call and
 * dispatch cost 0.1-0.2 ms per call, 15-25% of a d_model 64 projection (bench/matmul, measured), and a training step
 * makes ~75 of them. A bias goes in as GEMM's C (beta 1), not as a separate broadcast op. Arrays that are not whole
 * (views, other orders) take Nd4j.matmul: the same numbers, GemmTest compares them.
 */
final class Gemm {
    private Gemm() {}

    /** BLAS's threads for the whole process (OpenBLAS's own setter where it can be reached, else ND4J's). */
    static void threads(int n) {
        if (!org.nopelab.nd4j.BlasCore.threads(n)) Nd4j.factory().blas().setMaxThreads(n);
    }

    /** BLAS's threads now. */
    static int threads() {
        return org.nopelab.nd4j.BlasCore.threads().orElseGet(() -> Nd4j.factory().blas().getMaxThreads());
    }

    /** a (transposed if ta) times b (transposed if tb): [m, k] x [k, n] -> a fresh [m, n] in the current workspace. */
    static INDArray product(INDArray a, boolean ta, INDArray b, boolean tb) {
        return product(a, ta, b, tb, null);
    }

    /** x W^T + bias: x [m, k], W [n, k], bias [n] or [1, n]. */
    static INDArray linear(INDArray x, INDArray w, INDArray bias) {
        return product(x, false, w, true, bias);
    }

    /** The product plus bias (null: none) added to every row. */
    static INDArray product(INDArray a, boolean ta, INDArray b, boolean tb, INDArray bias) {
        boolean direct = a.rank() == 2 && b.rank() == 2 && a.dataType() == b.dataType() && Reads.isWhole(a) && Reads.isWhole(b)
                && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE) && (bias == null || Reads.isWhole(bias));
        if (!direct) {
            INDArray c = Nd4j.matmul(a, b, ta, tb, false);
            return bias == null ? c : c.addiRowVector(bias);
        }
        int m = (int) a.size(ta ? 1 : 0), k = (int) a.size(ta ? 0 : 1), n = (int) b.size(tb ? 0 : 1);
        if (b.size(tb ? 1 : 0) != k || (bias != null && bias.length() != n)) throw new IllegalArgumentException("matrix product of " + a.shapeInfoToString() + " and " + b.shapeInfoToString());
        INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {m, n}, 'c');
        if (bias != null) fillRows(c, bias, m, n);
        int lda = (int) a.size(1), ldb = (int) b.size(1), opA = ta ? CblasTrans : CblasNoTrans, opB = tb ? CblasTrans : CblasNoTrans;
        double beta = bias == null ? 0 : 1;
        if (m == 0 || n == 0) return c;
        if (a.dataType() == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(CblasRowMajor, opA, opB, m, n, k, 1f, floats(a), lda, floats(b), ldb, (float) beta, floats(c), n);
        } else {
            openblas_nolapack.cblas_dgemm(CblasRowMajor, opA, opB, m, n, k, 1, doubles(a), lda, doubles(b), ldb, beta, doubles(c), n);
        }
        return c;
    }

    /**
     * The sum of a's rows (a bias's gradient): one GEMV, a^T times ones. ND4J's sum over dimension 0 walks the
     * columns with a stride: 10% of a paper-size training step for [1920, 1024] gradients (JFR, measured).
     */
    static INDArray columnSums(INDArray a) {
        if (a.rank() != 2 || !Reads.isWhole(a) || (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE)) return a.sum(0);
        int m = (int) a.size(0), n = (int) a.size(1);
        INDArray ones = Nd4j.ones(a.dataType(), m), out = Nd4j.createUninitialized(a.dataType(), new long[] {n}, 'c');
        if (m == 0) return out.assign(0);
        if (a.dataType() == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemv(CblasRowMajor, CblasTrans, m, n, 1f, floats(a), n, floats(ones), 1, 0f, floats(out), 1);
        } else {
            openblas_nolapack.cblas_dgemv(CblasRowMajor, CblasTrans, m, n, 1, doubles(a), n, doubles(ones), 1, 0, doubles(out), 1);
        }
        return out;
    }

    /**
     * For each of the count row blocks of h (whole, float64, [count * n, d]), H H^T handed to each as an n x n matrix:
     * DSYRK's lower triangle (half the work of the product, the same float64 numbers),
     * mirrored. fresh: each block its own matrix (for a caller that keeps them), else one reused for every block.
     */
    static void gramians(INDArray h, int count, int n, int d, boolean fresh, java.util.function.ObjIntConsumer<double[][]> each) {
        if (h.dataType() != DataType.DOUBLE || !Reads.isWhole(h)) throw new IllegalArgumentException("gramians take a whole float64 array");
        INDArray c = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, n}, 'c');
        DoublePointer hp = doubles(h), cp = doubles(c);
        java.nio.DoubleBuffer cb = c.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        double[][] m = new double[n][n];
        for (int s = 0; s < count; s++) {
            if (fresh && s > 0) m = new double[n][n];
            openblas_nolapack.cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, d, 1, new DoublePointer(hp).position((long) s * n * d), d, 0, cp, n);
            for (int i = 0; i < n; i++) cb.get(i * n, m[i], 0, i + 1);
            mirror(m, n);
            each.accept(m, s);
        }
    }

    /** Copies the lower triangle onto the upper one in 64 x 64 tiles (a row-by-column loop misses the cache at every step). */
    private static void mirror(double[][] m, int n) {
        final int tile = 64;
        for (int i0 = 0; i0 < n; i0 += tile) {
            for (int j0 = 0; j0 <= i0; j0 += tile) {
                for (int i = i0; i < Math.min(n, i0 + tile); i++) {
                    double[] row = m[i];
                    for (int j = j0; j < Math.min(i, j0 + tile); j++) m[j][i] = row[j];
                }
            }
        }
    }

    private static void fillRows(INDArray c, INDArray bias, int m, int n) {
        java.nio.ByteBuffer src = bias.data().asNio().order(ByteOrder.nativeOrder()), dst = c.data().asNio().order(ByteOrder.nativeOrder());
        int rowBytes = n * c.dataType().width();
        for (int r = 0; r < m; r++) dst.put(r * rowBytes, src, 0, rowBytes);
    }

    private static FloatPointer floats(INDArray a) {
        return (FloatPointer) a.data().addressPointer();
    }

    private static DoublePointer doubles(INDArray a) {
        return (DoublePointer) a.data().addressPointer();
    }
}
