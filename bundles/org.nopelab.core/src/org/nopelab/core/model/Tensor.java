package org.nopelab.core.model;

import java.util.Arrays;

/** A dense row-major float32 tensor: the exchange format between engines, files and metrics. */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        long n = 1;
        for (long s : shape) n *= s;
        if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }

    public static Tensor zeros(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return new Tensor(shape, new float[Math.toIntExact(n)]);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return (int) shape[i];
    }
}
