package org.nopelab.core.internal.nd4j;

import java.nio.ByteOrder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An array's values in row-major order as a Java array: one bulk copy out of the native buffer when the array is
 * its buffer's start (a fresh result), else a contiguous copy first. DataBuffer.asFloat / asDouble read element by
 * element through an indexer: they were among the analysis pass's hottest Java frames (measured).
 */
final class Reads {
    private Reads() {}

    static float[] floats(INDArray a) {
        INDArray c = whole(a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT));
        float[] out = new float[(int) c.length()];
        c.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().get(out);
        return out;
    }

    static double[] doubles(INDArray a) {
        INDArray c = whole(a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE));
        double[] out = new double[(int) c.length()];
        c.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().get(out);
        return out;
    }

    /** The array itself when it is a whole contiguous array at its buffer's start (what kernels and reads take), else a copy. */
    static INDArray whole(INDArray a) {
        return isWhole(a) ? a : a.dup('c');
    }

    /**
     * True when the array's values are its buffer's first length() values in row-major order and the buffer starts
     * its memory, so the Java side and the kernels can read them without a native cast and copy.
     */
    static boolean isWhole(INDArray a) {
        return a.offset() == 0 && a.ordering() == 'c' && a.elementWiseStride() == 1 && a.data().offset() == 0;
    }
}
