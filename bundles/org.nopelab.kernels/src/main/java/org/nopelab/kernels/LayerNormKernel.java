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

    /**
     * y = xhat * gamma + beta, xhat = (x - mean) * inv, inv = 1 / sqrt(var + eps); writes y, xhat and inv [rows]. xhat
     * is null where no backward follows: writing it was 8% of a paper-d64 analysis pass (JFR), for an array nobody read.
     */
    public static void forward(ByteBuffer x, ByteBuffer gamma, ByteBuffer beta, ByteBuffer y, ByteBuffer xhat, ByteBuffer inv,
            int rows, int d, double eps, int threads) {
        long n = (long) rows * d;
        MemorySegment sx = Native.segment(x, n, "x"), sg = Native.segment(gamma, d, "gamma"), sb = Native.segment(beta, d, "beta");
        MemorySegment sy = Native.segment(y, n, "y"), sh = xhat == null ? null : Native.segment(xhat, n, "xhat"), si = Native.segment(inv, rows, "inv");
        int bound = S.loopBound(d);
        int lanes = S.length();
        // rows in groups of one vector's lanes: the rows' lane sums are added side by side (Native.sums)
        Parallel.forRange(rows, threads, (from, to, chunk) -> {
            float[] scratch = new float[lanes * lanes], mean = new float[lanes], sq = new float[lanes];
            for (int r0 = from; r0 < to; r0 += lanes) {
                int g = Math.min(lanes, to - r0);
                for (int r = 0; r < g; r++) {
                    long base = (long) (r0 + r) * d * Float.BYTES;
                    FloatVector acc = FloatVector.zero(S);
                    for (int i = 0; i < bound; i += lanes) acc = acc.add(FloatVector.fromMemorySegment(S, sx, base + 4L * i, ORDER));
                    acc.intoArray(scratch, r * lanes);
                }
                Native.sums(scratch).intoArray(mean, 0);
                for (int r = 0; r < g; r++) {
                    long base = (long) (r0 + r) * d * Float.BYTES;
                    float sum = mean[r];
                    for (int i = bound; i < d; i++) sum += sx.get(F, base + 4L * i);
                    mean[r] = sum / d;
                    FloatVector acc = FloatVector.zero(S);
                    for (int i = 0; i < bound; i += lanes) {
                        FloatVector c = FloatVector.fromMemorySegment(S, sx, base + 4L * i, ORDER).sub(mean[r]);
                        acc = c.fma(c, acc);
                    }
                    acc.intoArray(scratch, r * lanes);
                }
                Native.sums(scratch).intoArray(sq, 0);
                for (int r = 0; r < g; r++) {
                    long base = (long) (r0 + r) * d * Float.BYTES;
                    float m = mean[r], s2 = sq[r];
                    for (int i = bound; i < d; i++) {
                        float c = sx.get(F, base + 4L * i) - m;
                        s2 += c * c;
                    }
                    float k = (float) (1 / Math.sqrt(s2 / d + eps));
                    si.setAtIndex(F, r0 + r, k);
                    int i = 0;
                    for (; i < bound; i += lanes) {
                        FloatVector h = FloatVector.fromMemorySegment(S, sx, base + 4L * i, ORDER).sub(m).mul(k);
                        if (sh != null) h.intoMemorySegment(sh, base + 4L * i, ORDER);
                        h.fma(FloatVector.fromMemorySegment(S, sg, 4L * i, ORDER), FloatVector.fromMemorySegment(S, sb, 4L * i, ORDER))
                                .intoMemorySegment(sy, base + 4L * i, ORDER);
                    }
                    for (; i < d; i++) {
                        float h = (sx.get(F, base + 4L * i) - m) * k;
                        if (sh != null) sh.set(F, base + 4L * i, h);
                        sy.set(F, base + 4L * i, h * sg.getAtIndex(F, i) + sb.getAtIndex(F, i));
                    }
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
        int lanes = S.length();
        Parallel.forRange(blocks, threads, (fromBlock, toBlock, chunk) -> {
            float[] s1 = new float[lanes * lanes], s2 = new float[lanes * lanes], m1 = new float[lanes], m2 = new float[lanes];
            int end = Math.min(rows, toBlock * BLOCK);
            for (int r0 = fromBlock * BLOCK; r0 < end; r0 += lanes) { // BLOCK is whole groups: a group is in one block
                int count = Math.min(lanes, end - r0);
                float[] g = pg[r0 / BLOCK], bsum = pb[r0 / BLOCK];
                for (int q = 0; q < count; q++) {
                    long base = (long) (r0 + q) * d * Float.BYTES;
                    FloatVector a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
                    int i = 0;
                    for (; i < bound; i += lanes) {
                        FloatVector gy = FloatVector.fromMemorySegment(S, sdy, base + 4L * i, ORDER);
                        FloatVector h = FloatVector.fromMemorySegment(S, sh, base + 4L * i, ORDER);
                        FloatVector dh = gy.mul(FloatVector.fromMemorySegment(S, sg, 4L * i, ORDER));
                        a1 = a1.add(dh);
                        a2 = dh.fma(h, a2);
                        gy.fma(h, FloatVector.fromArray(S, g, i)).intoArray(g, i);
                        gy.add(FloatVector.fromArray(S, bsum, i)).intoArray(bsum, i);
                    }
                    a1.intoArray(s1, q * lanes);
                    a2.intoArray(s2, q * lanes);
                    for (; i < d; i++) {
                        float gy = sdy.get(F, base + 4L * i), h = sh.get(F, base + 4L * i);
                        g[i] += gy * h;
                        bsum[i] += gy;
                    }
                }
                Native.sums(s1).intoArray(m1, 0);
                Native.sums(s2).intoArray(m2, 0);
                for (int q = 0; q < count; q++) {
                    int r = r0 + q;
                    long base = (long) r * d * Float.BYTES;
                    float a = m1[q], b = m2[q];
                    for (int i = bound; i < d; i++) {
                        float dh = sdy.get(F, base + 4L * i) * sg.getAtIndex(F, i);
                        a += dh;
                        b += dh * sh.get(F, base + 4L * i);
                    }
                    a /= d;
                    b /= d;
                    float k = si.getAtIndex(F, r);
                    int i = 0;
                    for (; i < bound; i += lanes) {
                        FloatVector dh = FloatVector.fromMemorySegment(S, sdy, base + 4L * i, ORDER).mul(FloatVector.fromMemorySegment(S, sg, 4L * i, ORDER));
                        FloatVector h = FloatVector.fromMemorySegment(S, sh, base + 4L * i, ORDER);
                        dh.sub(a).sub(h.mul(b)).mul(k).intoMemorySegment(sdx, base + 4L * i, ORDER);
                    }
                    for (; i < d; i++) {
                        float dh = sdy.get(F, base + 4L * i) * sg.getAtIndex(F, i), h = sh.get(F, base + 4L * i);
                        sdx.set(F, base + 4L * i, (dh - a - h * b) * k);
                    }
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
