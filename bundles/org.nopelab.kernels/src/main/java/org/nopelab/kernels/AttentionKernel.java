package org.nopelab.kernels;

import static org.nopelab.kernels.internal.Native.F;
import static org.nopelab.kernels.internal.Native.ORDER;
import static org.nopelab.kernels.internal.Native.S;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nopelab.kernels.internal.Native;
import org.nopelab.kernels.internal.Parallel;

/**
 * Scaled dot-product attention for every sequence and head, read straight from the fused projection's output and
 * written straight into the layouts the next matmul takes: no split into heads, no [b, h, n, n] score array, no
 * separate mask, scale or softmax op (ND4J ran these as ~10 ops and two permute copies, and its batched matmul of
 * 30 x 16 heads ran at 6-9 GFLOP/s). One query row at a time: the row's scores, masked keys skipped (exactly what
 * adding -1e9 and exponentiating gave: probability 0), an optional ALiBi bias, softmax, then the weighted values.
 * Memory beyond the inputs is O(n * head_dim) per thread; the probabilities are kept only when asked (the backward
 * pass or a capture needs them). Every vector has the one species S: the JIT turns Vector API calls into instructions
 * only for a species it knows when compiling (a species chosen at run time from head_dim ran 10x slower, measured).
 */
public final class AttentionKernel {
    private AttentionKernel() {}

    /**
     * The attention of one block. causal: key j <= query i; window > 0 limits it to i - window < j (a sliding window);
     * slopes (one per head, or null) add -slope |i - j|. scale multiplies q . k (1 / sqrt(head_dim)).
     */
    public record Shape(int batch, int positions, int heads, int headDim, boolean causal, int window, float[] slopes, float scale) {
        public Shape {
            if (batch < 1 || positions < 1 || heads < 1 || headDim < 1) throw new IllegalArgumentException("empty attention shape");
            if (slopes != null && slopes.length != heads) throw new IllegalArgumentException(slopes.length + " ALiBi slopes for " + heads + " heads");
        }

        int width() {
            return heads * headDim;
        }

        /** First key query i sees. */
        int lo(int i) {
            return causal && window > 0 ? Math.max(0, i - window + 1) : 0;
        }

        /** Last key query i sees (inclusive). */
        int hi(int i) {
            return causal ? i : positions - 1;
        }
    }

    /**
     * qkv [b * n, 3 d] (q, k, v side by side, each heads x head_dim) -> out [b * n, d] (heads side by side); p, if not
     * null, receives the probabilities [b, heads, n, n] (zeros for hidden keys).
     */
    public static void forward(ByteBuffer qkv, ByteBuffer out, ByteBuffer p, Shape sh, int threads) {
        int n = sh.positions(), d = sh.width(), hd = sh.headDim();
        MemorySegment sq = Native.segment(qkv, (long) sh.batch() * n * 3 * d, "qkv");
        MemorySegment so = Native.segment(out, (long) sh.batch() * n * d, "out");
        MemorySegment sp = p == null ? null : Native.segment(p, (long) sh.batch() * sh.heads() * n * n, "p");
        int hBound = hd % S.length() == 0 ? hd : 0; // vectors over a head's dimensions when whole vectors fit
        Parallel.forRange(sh.batch() * sh.heads(), threads, (from, to, chunk) -> {
            float[] kT = new float[hd * n], row = new float[n];
            for (int u = from; u < to; u++) {
                int s = u / sh.heads(), h = u % sh.heads();
                long q0 = (long) h * hd, k0 = d + q0, v0 = 2L * d + q0;
                for (int j = 0; j < n; j++) {
                    long at = ((long) (s * n + j) * 3 * d + k0) * 4;
                    for (int c = 0; c < hd; c++) kT[c * n + j] = sq.get(F, at + 4L * c);
                }
                float slope = sh.slopes() == null ? 0f : sh.slopes()[h];
                for (int i = 0; i < n; i++) {
                    int lo = sh.lo(i), hi = sh.hi(i), count = hi - lo + 1, bound = lo + S.loopBound(count);
                    Arrays.fill(row, lo, hi + 1, 0f);
                    long qa = ((long) (s * n + i) * 3 * d + q0) * 4;
                    for (int c = 0; c < hd; c++) {
                        float qc = sq.get(F, qa + 4L * c) * sh.scale();
                        FloatVector qv = FloatVector.broadcast(S, qc);
                        int base = c * n, j = lo;
                        for (; j < bound; j += S.length()) FloatVector.fromArray(S, kT, base + j).fma(qv, FloatVector.fromArray(S, row, j)).intoArray(row, j);
                        for (; j <= hi; j++) row[j] += qc * kT[base + j];
                    }
                    if (slope != 0f) for (int j = lo; j <= hi; j++) row[j] -= slope * Math.abs(i - j);
                    softmaxRow(row, lo, hi, bound);
                    if (sp != null) {
                        long pa = ((long) u * n + i) * n;
                        for (int j = 0; j < lo; j++) sp.setAtIndex(F, pa + j, 0f);
                        MemorySegment.copy(row, lo, sp, F, (pa + lo) * 4, count);
                        for (int j = hi + 1; j < n; j++) sp.setAtIndex(F, pa + j, 0f);
                    }
                    long oa = ((long) (s * n + i) * d + q0) * 4;
                    int c = 0;
                    for (; c < hBound; c += S.length()) {
                        FloatVector acc = FloatVector.zero(S);
                        for (int j = lo; j <= hi; j++) {
                            long va = ((long) (s * n + j) * 3 * d + v0 + c) * 4;
                            acc = FloatVector.fromMemorySegment(S, sq, va, ORDER).fma(FloatVector.broadcast(S, row[j]), acc);
                        }
                        acc.intoMemorySegment(so, oa + 4L * c, ORDER);
                    }
                    for (; c < hd; c++) {
                        float acc = 0;
                        for (int j = lo; j <= hi; j++) acc += row[j] * sq.get(F, ((long) (s * n + j) * 3 * d + v0 + c) * 4);
                        so.set(F, oa + 4L * c, acc);
                    }
                }
            }
        });
    }

    /** row[lo..hi] <- softmax(row[lo..hi]), the max shifted out first. */
    private static void softmaxRow(float[] row, int lo, int hi, int bound) {
        int j = lo;
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; j < bound; j += S.length()) mv = mv.max(FloatVector.fromArray(S, row, j));
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; j <= hi; j++) max = Math.max(max, row[j]);
        FloatVector sv = FloatVector.zero(S);
        for (j = lo; j < bound; j += S.length()) {
            FloatVector e = FloatVector.fromArray(S, row, j).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(row, j);
            sv = sv.add(e);
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (; j <= hi; j++) {
            row[j] = (float) Math.exp(row[j] - max);
            sum += row[j];
        }
        float inv = 1f / sum;
        for (j = lo; j < bound; j += S.length()) FloatVector.fromArray(S, row, j).mul(inv).intoArray(row, j);
        for (; j <= hi; j++) row[j] *= inv;
    }

    /**
     * The backward of forward: from qkv, the kept probabilities p and dOut [b * n, d] (the gradient of out), writes
     * dQkv [b * n, 3 d] in qkv's layout, the gradient the fused projection's backward takes:
     * dV = P^T dO, dS = P * (dO V^T - rowsum(P * dO V^T)) * scale, dQ = dS K, dK = dS^T Q.
     */
    public static void backward(ByteBuffer qkv, ByteBuffer p, ByteBuffer dOut, ByteBuffer dQkv, Shape sh, int threads) {
        int n = sh.positions(), d = sh.width(), hd = sh.headDim();
        MemorySegment sq = Native.segment(qkv, (long) sh.batch() * n * 3 * d, "qkv");
        MemorySegment sp = Native.segment(p, (long) sh.batch() * sh.heads() * n * n, "p");
        MemorySegment sdo = Native.segment(dOut, (long) sh.batch() * n * d, "dOut");
        MemorySegment sdq = Native.segment(dQkv, (long) sh.batch() * n * 3 * d, "dQkv");
        int hBound = hd % S.length() == 0 ? hd : 0; // vectors over a head's dimensions when whole vectors fit
        float scale = sh.scale();
        Parallel.forRange(sh.batch() * sh.heads(), threads, (from, to, chunk) -> {
            float[] vT = new float[hd * n], dK = new float[n * hd], dV = new float[n * hd], pRow = new float[n], dS = new float[n];
            float[] qi = new float[hd], gi = new float[hd];
            for (int u = from; u < to; u++) {
                int s = u / sh.heads(), h = u % sh.heads();
                long q0 = (long) h * hd, k0 = d + q0, v0 = 2L * d + q0;
                for (int j = 0; j < n; j++) {
                    long at = ((long) (s * n + j) * 3 * d + v0) * 4;
                    for (int c = 0; c < hd; c++) vT[c * n + j] = sq.get(F, at + 4L * c);
                }
                Arrays.fill(dK, 0f);
                Arrays.fill(dV, 0f);
                for (int i = 0; i < n; i++) {
                    int lo = sh.lo(i), hi = sh.hi(i), count = hi - lo + 1, bound = lo + S.loopBound(count);
                    MemorySegment.copy(sdo, F, ((long) (s * n + i) * d + q0) * 4, gi, 0, hd);
                    MemorySegment.copy(sq, F, ((long) (s * n + i) * 3 * d + q0) * 4, qi, 0, hd);
                    MemorySegment.copy(sp, F, (((long) u * n + i) * n + lo) * 4, pRow, lo, count);
                    // dP_ij = dO_i . v_j into dS, vectorised over keys
                    Arrays.fill(dS, lo, hi + 1, 0f);
                    for (int c = 0; c < hd; c++) {
                        float g = gi[c];
                        FloatVector gv = FloatVector.broadcast(S, g);
                        int base = c * n, j = lo;
                        for (; j < bound; j += S.length()) FloatVector.fromArray(S, vT, base + j).fma(gv, FloatVector.fromArray(S, dS, j)).intoArray(dS, j);
                        for (; j <= hi; j++) dS[j] += g * vT[base + j];
                    }
                    float dot = 0;
                    for (int j = lo; j <= hi; j++) dot += pRow[j] * dS[j];
                    for (int j = lo; j <= hi; j++) dS[j] = pRow[j] * (dS[j] - dot) * scale;
                    long dqa = ((long) (s * n + i) * 3 * d + q0) * 4;
                    int c = 0;
                    for (; c < hBound; c += S.length()) {
                        FloatVector acc = FloatVector.zero(S), q = FloatVector.fromArray(S, qi, c), g = FloatVector.fromArray(S, gi, c);
                        for (int j = lo; j <= hi; j++) {
                            long ka = ((long) (s * n + j) * 3 * d + k0 + c) * 4;
                            FloatVector ds = FloatVector.broadcast(S, dS[j]);
                            acc = FloatVector.fromMemorySegment(S, sq, ka, ORDER).fma(ds, acc);
                            int at = j * hd + c;
                            q.fma(ds, FloatVector.fromArray(S, dK, at)).intoArray(dK, at);
                            g.fma(FloatVector.broadcast(S, pRow[j]), FloatVector.fromArray(S, dV, at)).intoArray(dV, at);
                        }
                        acc.intoMemorySegment(sdq, dqa + 4L * c, ORDER);
                    }
                    for (; c < hd; c++) {
                        float acc = 0;
                        for (int j = lo; j <= hi; j++) {
                            acc += dS[j] * sq.get(F, ((long) (s * n + j) * 3 * d + k0 + c) * 4);
                            dK[j * hd + c] += dS[j] * qi[c];
                            dV[j * hd + c] += pRow[j] * gi[c];
                        }
                        sdq.set(F, dqa + 4L * c, acc);
                    }
                }
                for (int j = 0; j < n; j++) {
                    long row = (long) (s * n + j) * 3 * d;
                    MemorySegment.copy(dK, j * hd, sdq, F, (row + k0) * 4, hd);
                    MemorySegment.copy(dV, j * hd, sdq, F, (row + v0) * 4, hd);
                }
            }
        });
    }
}
