package org.nopelab.kernels.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
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
}
