package org.nopelab.kernels;

import org.nopelab.kernels.internal.Native;

/**
 * What the fused kernels run on: the JDK's Vector API at this CPU's widest float vector. Loading this class is the
 * test of whether they can run at all: where the bundle does not resolve (no jdk.incubator.vector, Java 21) the
 * engine's lookup of it fails and it keeps its ND4J ops.
 */
public final class Kernels {
    private Kernels() {}

    /** "Vector API, 16 x float32 (512-bit)": what provenance records of the kernels. */
    public static String describe() {
        return "Vector API, " + Native.S.length() + " x float32 (" + Native.S.vectorBitSize() + "-bit)";
    }
}
