package org.nopelab.kernels;

import static org.nopelab.kernels.internal.Native.F;
import static org.nopelab.kernels.internal.Native.ORDER;
import static org.nopelab.kernels.internal.Native.S;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
        int n = sh.positions(), d = sh.width(), hd = sh.headDim(), np = padded(n);
        MemorySegment sq = Native.segment(qkv, (long) sh.batch() * n * 3 * d, "qkv");
        MemorySegment so = Native.segment(out, (long) sh.batch() * n * d, "out");
        MemorySegment sp = p == null ? null : Native.segment(p, (long) sh.batch() * sh.heads() * n * n, "p");
        boolean headVectors = hd % S.length() == 0; // vectors over a head's dimensions when whole vectors fit
        Parallel.forRange(sh.batch() * sh.heads(), threads, (from, to, chunk) -> {
            float[] kT = new float[hd * np], vs = new float[n * hd], og = new float[G * hd];
            float[][] rows = new float[G][np], qg = new float[G][hd];
            float[] lanes = new float[S.length()];
            for (int u = from; u < to; u++) {
                int s = u / sh.heads(), h = u % sh.heads();
                long q0 = (long) h * hd, k0 = d + q0, v0 = 2L * d + q0;
                for (int j = 0; j < n; j++) {
                    long at = ((long) (s * n + j) * 3 * d + k0) * 4;
                    for (int c = 0, t = tile(j, hd); c < hd; c++) kT[t + c * S.length()] = sq.get(F, at + 4L * c);
                    MemorySegment.copy(sq, F, ((long) (s * n + j) * 3 * d + v0) * 4, vs, j * hd, hd);
                }
                float slope = sh.slopes() == null ? 0f : sh.slopes()[h];
                // G queries at a time: each key vector loaded serves G rows (one load per FMA made long rows load-bound)
                for (int i0 = 0; i0 < n; i0 += G) {
                    int g = Math.min(G, n - i0), loMin = sh.lo(i0), hiMax = sh.hi(i0 + g - 1);
                    for (int r = 0; r < G; r++) {
                        if (r < g) {
                            long qAt = ((long) (s * n + i0 + r) * 3 * d + q0) * 4;
                            int c = 0;
                            for (; headVectors && c < hd; c += S.length()) {
                                FloatVector.fromMemorySegment(S, sq, qAt + 4L * c, ORDER).mul(sh.scale()).intoArray(qg[r], c);
                            }
                            for (; c < hd; c++) qg[r][c] = sq.get(F, qAt + 4L * c) * sh.scale();
                        } else {
                            Arrays.fill(qg[r], 0f);
                        }
                    }
                    scores(qg, kT, hd, loMin, hiMax, rows);
                    for (int r = 0; r < g; r++) {
                        int i = i0 + r;
                        mask(rows[r], i, sh.lo(i), sh.hi(i), slope);
                        softmax(rows[r], sh.lo(i), sh.hi(i), lanes);
                        if (sp != null) MemorySegment.copy(rows[r], 0, sp, F, ((long) u * n + i) * n * 4, n); // hidden keys: 0
                    }
                    for (int r = g; r < G; r++) Arrays.fill(rows[r], 0f);
                    weighted(rows, vs, loMin, hiMax, hd, headVectors, og, so, ((long) (s * n + i0) * d + q0) * 4, 4L * d, g);
                }
            }
        });
    }

    /** Queries per group in the forward pass. */
    private static final int G = 4;

    /**
     * Where key j's first dimension sits in a transposed key (or value) array tiled by vector blocks: the block of keys
     * holding j is [head_dim, lanes], contiguous, so the head_dim vectors a block's dot products load are one 4 KB run
     * (a plain [head_dim, n] transpose put them n floats apart, one cache line and a strided prefetch each).
     */
    private static int tile(int j, int hd) {
        return j / S.length() * hd * S.length() + j % S.length();
    }

    /** n rounded up to whole vectors: score rows and transposed keys are padded so that no loop has a scalar tail. */
    private static int padded(int n) {
        return (n + S.length() - 1) / S.length() * S.length();
    }

    /**
     * rows[r][j] = q_r . k_j for the vector blocks holding keys lo..hi of the group (q already scaled). kT is
     * tiled [padded n / lanes, head_dim, lanes] (see tile): each block accumulates in G registers from one load of the
     * keys per dimension.
     */
    private static void scores(float[][] q, float[] kT, int hd, int lo, int hi, float[][] rows) {
        float[] q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
        for (int j = lo / S.length() * S.length(); j <= hi; j += S.length()) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0, t = tile(j, hd); c < hd; c++, t += S.length()) {
                FloatVector k = FloatVector.fromArray(S, kT, t);
                a0 = k.fma(FloatVector.broadcast(S, q0[c]), a0);
                a1 = k.fma(FloatVector.broadcast(S, q1[c]), a1);
                a2 = k.fma(FloatVector.broadcast(S, q2[c]), a2);
                a3 = k.fma(FloatVector.broadcast(S, q3[c]), a3);
            }
            a0.intoArray(rows[0], j);
            a1.intoArray(rows[1], j);
            a2.intoArray(rows[2], j);
            a3.intoArray(rows[3], j);
        }
    }

    /** In query i's row: ALiBi's -slope |i - j| added, and -Infinity for keys outside lo..hi (exp gives exactly 0). */
    private static void mask(float[] row, int i, int lo, int hi, float slope) {
        for (int j = lo / S.length() * S.length(); j <= hi; j += S.length()) {
            FloatVector acc = FloatVector.fromArray(S, row, j);
            FloatVector key = FloatVector.broadcast(S, (float) j).add(IOTA);
            if (slope != 0f) acc = acc.sub(key.sub((float) i).abs().mul(slope));
            VectorMask<Float> hidden = key.compare(VectorOperators.LT, (float) lo).or(key.compare(VectorOperators.GT, (float) hi));
            acc.blend(Float.NEGATIVE_INFINITY, hidden).intoArray(row, j);
        }
    }

    private static final FloatVector IOTA = iota();

    private static FloatVector iota() {
        float[] v = new float[S.length()];
        for (int k = 0; k < v.length; k++) v[k] = k;
        return FloatVector.fromArray(S, v, 0);
    }

    /**
     * Softmax over the blocks holding keys lo..hi (the max shifted out); every other entry of the row's first n is set
     * to 0, so the row is the whole probability row.
     */
    private static void softmax(float[] row, int lo, int hi, float[] lanes) {
        int first = lo / S.length() * S.length(), end = (hi / S.length() + 1) * S.length();
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = first; j < end; j += S.length()) mv = mv.max(FloatVector.fromArray(S, row, j));
        float max = mv.reduceLanes(VectorOperators.MAX);
        FloatVector sv = FloatVector.zero(S);
        for (int j = first; j < end; j += S.length()) {
            FloatVector e = Native.exp(FloatVector.fromArray(S, row, j).sub(max));
            e.intoArray(row, j);
            sv = sv.add(e);
        }
        float inv = 1f / Native.sum(sv, lanes);
        for (int j = first; j < end; j += S.length()) FloatVector.fromArray(S, row, j).mul(inv).intoArray(row, j);
        Arrays.fill(row, 0, first, 0f);
        Arrays.fill(row, end, row.length, 0f);
    }

    /**
     * o_r = sum over keys lo..hi of rows[r][j] v_j for the G rows of a group (a row is 0 outside its own keys), vectors
     * over the head's dimensions: one load of v_j serves G accumulators. vs is [n, head_dim]. The first g rows go to
     * out at byte at + r * stride: stored from the accumulators (one small MemorySegment.copy per row was 6% of a
     * paper-d64 analysis pass, JFR), through o ([G, head_dim] scratch) where head_dim is not whole vectors.
     */
    private static void weighted(float[][] rows, float[] vs, int lo, int hi, int hd, boolean headVectors, float[] o, MemorySegment out, long at,
            long stride, int g) {
        float[] r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3];
        if (headVectors) {
            for (int c = 0; c < hd; c += S.length()) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                for (int j = lo; j <= hi; j++) {
                    FloatVector v = FloatVector.fromArray(S, vs, j * hd + c);
                    a0 = v.fma(FloatVector.broadcast(S, r0[j]), a0);
                    a1 = v.fma(FloatVector.broadcast(S, r1[j]), a1);
                    a2 = v.fma(FloatVector.broadcast(S, r2[j]), a2);
                    a3 = v.fma(FloatVector.broadcast(S, r3[j]), a3);
                }
                long col = at + 4L * c;
                a0.intoMemorySegment(out, col, ORDER);
                if (g > 1) a1.intoMemorySegment(out, col + stride, ORDER);
                if (g > 2) a2.intoMemorySegment(out, col + 2 * stride, ORDER);
                if (g > 3) a3.intoMemorySegment(out, col + 3 * stride, ORDER);
            }
            return;
        }
        Arrays.fill(o, 0f);
        for (int r = 0; r < G; r++) for (int j = lo; j <= hi; j++) for (int c = 0; c < hd; c++) o[r * hd + c] += rows[r][j] * vs[j * hd + c];
        for (int r = 0; r < g; r++) MemorySegment.copy(o, r * hd, out, F, at + r * stride, hd);
    }

    /**
     * The backward of forward: from qkv, the kept probabilities p and dOut [b * n, d] (the gradient of out), writes
     * dQkv [b * n, 3 d] in qkv's layout, the gradient the fused projection's backward takes:
     * dV = P^T dO, dS = P * (dO V^T - rowsum(P * dO V^T)) * scale, dQ = dS K, dK = dS^T Q.
     */
    public static void backward(ByteBuffer qkv, ByteBuffer p, ByteBuffer dOut, ByteBuffer dQkv, Shape sh, int threads) {
        int n = sh.positions(), d = sh.width(), hd = sh.headDim(), np = padded(n);
        MemorySegment sq = Native.segment(qkv, (long) sh.batch() * n * 3 * d, "qkv");
        MemorySegment sp = Native.segment(p, (long) sh.batch() * sh.heads() * n * n, "p");
        MemorySegment sdo = Native.segment(dOut, (long) sh.batch() * n * d, "dOut");
        MemorySegment sdq = Native.segment(dQkv, (long) sh.batch() * n * 3 * d, "dQkv");
        boolean headVectors = hd % S.length() == 0;
        float scale = sh.scale();
        Parallel.forRange(sh.batch() * sh.heads(), threads, (from, to, chunk) -> {
            float[] vT = new float[hd * np], ks = new float[n * hd], qs = new float[n * hd];
            float[] dK = new float[n * hd], dV = new float[n * hd], pRow = new float[np], dS = new float[np], gi = new float[hd], dq = new float[hd];
            float[] lanes = new float[S.length()];
            for (int u = from; u < to; u++) {
                int s = u / sh.heads(), h = u % sh.heads();
                long q0 = (long) h * hd, k0 = d + q0, v0 = 2L * d + q0;
                for (int j = 0; j < n; j++) {
                    long row = (long) (s * n + j) * 3 * d;
                    for (int c = 0, t = tile(j, hd); c < hd; c++) vT[t + c * S.length()] = sq.get(F, (row + v0 + c) * 4);
                    MemorySegment.copy(sq, F, (row + k0) * 4, ks, j * hd, hd);
                    MemorySegment.copy(sq, F, (row + q0) * 4, qs, j * hd, hd);
                }
                Arrays.fill(dK, 0f);
                Arrays.fill(dV, 0f);
                for (int i = 0; i < n; i++) {
                    int lo = sh.lo(i), hi = sh.hi(i);
                    MemorySegment.copy(sdo, F, ((long) (s * n + i) * d + q0) * 4, gi, 0, hd);
                    MemorySegment.copy(sp, F, ((long) u * n + i) * n * 4, pRow, 0, n); // hidden keys: 0
                    // dP_ij = dO_i . v_j for the blocks holding lo..hi, then dS = P * (dP - P . dP) * scale (0 where P is)
                    int first = lo / S.length() * S.length();
                    FloatVector dotv = FloatVector.zero(S);
                    for (int j = first; j <= hi; j += S.length()) {
                        FloatVector acc = FloatVector.zero(S);
                        for (int c = 0, t = tile(j, hd); c < hd; c++, t += S.length()) acc = FloatVector.fromArray(S, vT, t).fma(FloatVector.broadcast(S, gi[c]), acc);
                        acc.intoArray(dS, j);
                        dotv = acc.fma(FloatVector.fromArray(S, pRow, j), dotv);
                    }
                    float dot = Native.sum(dotv, lanes);
                    for (int j = first; j <= hi; j += S.length()) {
                        FloatVector pv = FloatVector.fromArray(S, pRow, j);
                        FloatVector.fromArray(S, dS, j).sub(dot).mul(pv).mul(scale).intoArray(dS, j);
                    }
                    keyGradients(dS, pRow, ks, qs, gi, dK, dV, i, lo, hi, hd, headVectors, dq);
                    MemorySegment.copy(dq, 0, sdq, F, ((long) (s * n + i) * 3 * d + q0) * 4, hd);
                }
                for (int j = 0; j < n; j++) {
                    long row = (long) (s * n + j) * 3 * d;
                    MemorySegment.copy(dK, j * hd, sdq, F, (row + k0) * 4, hd);
                    MemorySegment.copy(dV, j * hd, sdq, F, (row + v0) * 4, hd);
                }
            }
        });
    }

    /** dq = sum_j dS_j k_j; dK_j += dS_j q_i; dV_j += p_j dO_i, over keys lo..hi, vectors over the head's dimensions. */
    private static void keyGradients(float[] dS, float[] p, float[] ks, float[] qs, float[] g, float[] dK, float[] dV,
            int i, int lo, int hi, int hd, boolean headVectors, float[] dq) {
        if (headVectors) {
            for (int c = 0; c < hd; c += S.length()) {
                FloatVector acc = FloatVector.zero(S), q = FloatVector.fromArray(S, qs, i * hd + c), gv = FloatVector.fromArray(S, g, c);
                for (int j = lo; j <= hi; j++) {
                    int at = j * hd + c;
                    FloatVector ds = FloatVector.broadcast(S, dS[j]);
                    acc = FloatVector.fromArray(S, ks, at).fma(ds, acc);
                    q.fma(ds, FloatVector.fromArray(S, dK, at)).intoArray(dK, at);
                    gv.fma(FloatVector.broadcast(S, p[j]), FloatVector.fromArray(S, dV, at)).intoArray(dV, at);
                }
                acc.intoArray(dq, c);
            }
            return;
        }
        Arrays.fill(dq, 0f);
        for (int j = lo; j <= hi; j++) {
            for (int c = 0; c < hd; c++) {
                dq[c] += dS[j] * ks[j * hd + c];
                dK[j * hd + c] += dS[j] * qs[i * hd + c];
                dV[j * hd + c] += p[j] * g[c];
            }
        }
    }
}
