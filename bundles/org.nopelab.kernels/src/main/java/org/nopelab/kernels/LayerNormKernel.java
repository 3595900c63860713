package org.nopelab.kernels;

import static org.nopelab.kernels.internal.Native.F;
import static org.nopelab.kernels.internal.Native.ORDER;
import static org.nopelab.kernels.internal.Native.S;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nopelab.kernels.internal.Native;
import org.nopelab.kernels.internal.Parallel;

/**
 * LayerNorm over the last dimension of [rows, d] in one pass per row, with PyTorch's definition: biased variance,
 * eps inside the square root. ND4J built it from 8 ops (9x PyTorch's kernel); its own layer_norm has no eps.
 */
public final class LayerNormKernel {
    private LayerNormKernel() {}

    private static final int BLOCK = 64;

    /** y = xhat * gamma + beta, xhat = (x - mean) * inv, inv = 1 / sqrt(var + eps); writes y, xhat and inv [rows]. */
    public static void forward(ByteBuffer x, ByteBuffer gamma, ByteBuffer beta, ByteBuffer y, ByteBuffer xhat, ByteBuffer inv,
            int rows, int d, double eps, int threads) {
        long n = (long) rows * d;
        MemorySegment sx = Native.segment(x, n, "x"), sg = Native.segment(gamma, d, "gamma"), sb = Native.segment(beta, d, "beta");
        MemorySegment sy = Native.segment(y, n, "y"), sh = Native.segment(xhat, n, "xhat"), si = Native.segment(inv, rows, "inv");
        int bound = S.loopBound(d);
        Parallel.forRange(rows, threads, (from, to, chunk) -> {
            float[] lanes = new float[S.length()];
            for (int r = from; r < to; r++) {
                long base = (long) r * d * Float.BYTES;
                FloatVector acc = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += S.length()) acc = acc.add(FloatVector.fromMemorySegment(S, sx, base + 4L * i, ORDER));
                float sum = Native.sum(acc, lanes);
                for (; i < d; i++) sum += sx.get(F, base + 4L * i);
                float mean = sum / d;
                acc = FloatVector.zero(S);
                for (i = 0; i < bound; i += S.length()) {
                    FloatVector c = FloatVector.fromMemorySegment(S, sx, base + 4L * i, ORDER).sub(mean);
                    acc = c.fma(c, acc);
                }
                float sq = Native.sum(acc, lanes);
                for (; i < d; i++) {
                    float c = sx.get(F, base + 4L * i) - mean;
                    sq += c * c;
                }
                float k = (float) (1 / Math.sqrt(sq / d + eps));
                si.setAtIndex(F, r, k);
                for (i = 0; i < bound; i += S.length()) {
                    FloatVector h = FloatVector.fromMemorySegment(S, sx, base + 4L * i, ORDER).sub(mean).mul(k);
                    h.intoMemorySegment(sh, base + 4L * i, ORDER);
                    h.fma(FloatVector.fromMemorySegment(S, sg, 4L * i, ORDER), FloatVector.fromMemorySegment(S, sb, 4L * i, ORDER))
                            .intoMemorySegment(sy, base + 4L * i, ORDER);
                }
                for (; i < d; i++) {
                    float h = (sx.get(F, base + 4L * i) - mean) * k;
                    sh.set(F, base + 4L * i, h);
                    sy.set(F, base + 4L * i, h * sg.getAtIndex(F, i) + sb.getAtIndex(F, i));
                }
            }
        });
    }

    /**
     * dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)) with dxhat = dy * gamma; dgamma = sum over rows of
     * dy * xhat and dbeta = sum of dy, written (not added) into [d] arrays. dx may be dy's own buffer.
     */
    public static void backward(ByteBuffer dy, ByteBuffer xhat, ByteBuffer inv, ByteBuffer gamma, ByteBuffer dx,
            ByteBuffer dgamma, ByteBuffer dbeta, int rows, int d, int threads) {
        long n = (long) rows * d;
        MemorySegment sdy = Native.segment(dy, n, "dy"), sh = Native.segment(xhat, n, "xhat"), si = Native.segment(inv, rows, "inv");
        MemorySegment sg = Native.segment(gamma, d, "gamma"), sdx = Native.segment(dx, n, "dx");
        MemorySegment sdg = Native.segment(dgamma, d, "dgamma"), sdb = Native.segment(dbeta, d, "dbeta");
        // dgamma and dbeta: sums per block of BLOCK rows, added in block order, so that they do not depend on threads
        int blocks = (rows + BLOCK - 1) / BLOCK;
        float[][] pg = new float[blocks][d], pb = new float[blocks][d];
        int bound = S.loopBound(d);
        Parallel.forRange(blocks, threads, (fromBlock, toBlock, chunk) -> {
            float[] lanes = new float[S.length()];
            for (int r = fromBlock * BLOCK; r < Math.min(rows, toBlock * BLOCK); r++) {
                float[] g = pg[r / BLOCK], bsum = pb[r / BLOCK];
                long base = (long) r * d * Float.BYTES;
                FloatVector a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector gy = FloatVector.fromMemorySegment(S, sdy, base + 4L * i, ORDER);
                    FloatVector h = FloatVector.fromMemorySegment(S, sh, base + 4L * i, ORDER);
                    FloatVector dh = gy.mul(FloatVector.fromMemorySegment(S, sg, 4L * i, ORDER));
                    a1 = a1.add(dh);
                    a2 = dh.fma(h, a2);
                    gy.fma(h, FloatVector.fromArray(S, g, i)).intoArray(g, i);
                    gy.add(FloatVector.fromArray(S, bsum, i)).intoArray(bsum, i);
                }
                float m1 = Native.sum(a1, lanes), m2 = Native.sum(a2, lanes);
                for (; i < d; i++) {
                    float gy = sdy.get(F, base + 4L * i), h = sh.get(F, base + 4L * i), dh = gy * sg.getAtIndex(F, i);
                    m1 += dh;
                    m2 += dh * h;
                    g[i] += gy * h;
                    bsum[i] += gy;
                }
                m1 /= d;
                m2 /= d;
                float k = si.getAtIndex(F, r);
                for (i = 0; i < bound; i += S.length()) {
                    FloatVector dh = FloatVector.fromMemorySegment(S, sdy, base + 4L * i, ORDER).mul(FloatVector.fromMemorySegment(S, sg, 4L * i, ORDER));
                    FloatVector h = FloatVector.fromMemorySegment(S, sh, base + 4L * i, ORDER);
                    dh.sub(m1).sub(h.mul(m2)).mul(k).intoMemorySegment(sdx, base + 4L * i, ORDER);
                }
                for (; i < d; i++) {
                    float dh = sdy.get(F, base + 4L * i) * sg.getAtIndex(F, i), h = sh.get(F, base + 4L * i);
                    sdx.set(F, base + 4L * i, (dh - m1 - h * m2) * k);
                }
            }
        });
        for (int i = 0; i < d; i++) {
            float g = 0, bsum = 0;
            for (int c = 0; c < blocks; c++) {
                g += pg[c][i];
                bsum += pb[c][i];
            }
            sdg.setAtIndex(F, i, g);
            sdb.setAtIndex(F, i, bsum);
        }
    }
}
