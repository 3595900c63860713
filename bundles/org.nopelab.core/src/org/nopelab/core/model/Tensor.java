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

    /** Joins tensors along the first axis, keeping at most maxRows rows of it. */
    public static Tensor concat(java.util.List<Tensor> parts, int maxRows) {
        long rows = 0, rowSize = 1;
        for (int k = 1; k < parts.get(0).rank(); k++) rowSize *= parts.get(0).shape()[k];
        for (Tensor t : parts) rows += t.shape()[0];
        rows = Math.min(rows, maxRows);
        float[] data = new float[Math.toIntExact(rows * rowSize)];
        int at = 0;
        for (Tensor t : parts) {
            int take = Math.min(t.data().length, data.length - at);
            System.arraycopy(t.data(), 0, data, at, take);
            at += take;
        }
        long[] shape = parts.get(0).shape().clone();
        shape[0] = rows;
        return new Tensor(shape, data);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return (int) shape[i];
    }
}
