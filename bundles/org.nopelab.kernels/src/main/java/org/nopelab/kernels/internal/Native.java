package org.nopelab.kernels.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Views of native float32 arrays (direct ByteBuffers whose byte 0 is element 0) and the vector shape used on them. */
public final class Native {
    private Native() {}

    public static final ByteOrder ORDER = ByteOrder.nativeOrder();
    public static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** The widest float vector this CPU runs (16 lanes with AVX-512). */
    public static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** The array's bytes as a segment; refuses a heap buffer or one too short for count floats. */
    public static MemorySegment segment(ByteBuffer b, long count, String what) {
        if (b == null || !b.isDirect()) throw new IllegalArgumentException(what + ": not a native (direct) buffer");
        MemorySegment s = MemorySegment.ofBuffer(b.duplicate().clear());
        if (s.byteSize() < count * Float.BYTES) throw new IllegalArgumentException(what + ": " + s.byteSize() / Float.BYTES + " floats, needs " + count);
        return s;
    }

    /*
     * Results must not depend on when the JIT compiled what. Two Vector API operations do: lanewise EXP / TANH run
     * Intel's SVML in compiled code and Math.exp per lane before that (different last bits), and reduceLanes(ADD) may
     * add in a tree or in sequence. A cold process (one sweep cell on a cluster) and a warm one (the same cell in a
     * local sweep) then wrote different sweep.json files (measured). So: exp from IEEE-exact operations only, and sums
     * of lanes in lane order.
     */

    private static final float LOG2E = 1.44269504f, MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;

    /**
     * e^x with Cephes' expf polynomial (relative error about 1e-7): x = k ln 2 + r, |r| <= ln 2 / 2, 2^k from the
     * exponent bits. Below -87.3 (e^x under float's smallest normal) exactly 0, as for -Infinity.
     */
    public static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.LT, -87.33654f);
        FloatVector xc = x.max(-87.33654f).min(88.0f);
        FloatVector t = xc.fma(LOG2E, MAGIC);
        FloatVector k = t.sub(MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector z = r.mul(r);
        FloatVector y = r.fma(1.9875691500E-4f, 1.3981999507E-3f).fma(r, FloatVector.broadcast(S, 8.3334519073E-3f))
                .fma(r, FloatVector.broadcast(S, 4.1665795894E-2f)).fma(r, FloatVector.broadcast(S, 1.6666665459E-1f))
                .fma(r, FloatVector.broadcast(S, 5.0000001201E-1f)).fma(z, r).add(1f);
        FloatVector scale = ((IntVector) t.reinterpretAsInts()).sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scale).blend(0f, under);
    }

    /** tanh(u) = sign(u) (1 - e) / (1 + e), e = e^(-2 |u|) (never overflows). */
    public static FloatVector tanh(FloatVector u) {
        FloatVector e = exp(u.abs().mul(-2f));
        FloatVector t = e.neg().add(1f).div(e.add(1f));
        return t.blend(t.neg(), u.compare(VectorOperators.LT, 0f));
    }

    /** lane * S.length() for each lane: where each row's lane l sits in the scratch of {@link #sums}. */
    private static final int[] COLUMNS = java.util.stream.IntStream.range(0, S.length()).map(l -> l * S.length()).toArray();

    /**
     * The lane-order sums of up to S.length() rows at once: lane r of the result is scratch[r L] + scratch[r L + 1] +
     * ... in that order (L = S.length(), rows' vectors stored at r L), the same bits as {@link #sum} of each row. One
     * row at a time, the sum is a chain of L dependent scalar adds after a store: for LayerNorm at d 64 (four vectors a
     * row) that chain was most of the row's time; here the L chains run side by side as L vector adds of gathered
     * columns. Lanes of rows the caller did not write hold whatever scratch held.
     */
    public static FloatVector sums(float[] scratch) {
        FloatVector s = FloatVector.zero(S);
        for (int l = 0; l < S.length(); l++) s = s.add(FloatVector.fromArray(S, scratch, l, COLUMNS, 0));
        return s;
    }

    /** The lanes' sum, added in lane order; scratch holds at least S.length() floats (toArray allocated, measured). */
    public static float sum(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        float s = 0;
        for (int i = 0; i < S.length(); i++) s += scratch[i];
        return s;
    }
}
