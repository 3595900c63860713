package org.nopelab.core.internal.nd4j;

import java.nio.ByteOrder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Java arrays into fresh ND4J arrays with one bulk copy into the native buffer. Nd4j.create(float[] ...) writes
 * element by element through an indexer: it was 5% of a paper-size analysis pass (the weights, uploaded per pass)
 * and most of the similarity's Java side (measured, JFR). {@link Reads} is the other direction.
 */
final class Writes {
    private Writes() {}

    static INDArray floats(float[] values, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        return a;
    }

    static INDArray doubles(double[] values, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
        a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().put(values);
        return a;
    }
}
