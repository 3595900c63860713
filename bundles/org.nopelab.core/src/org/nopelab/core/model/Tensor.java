package org.nopelab.core.model;

import java.util.Arrays;

/**
 * A dense row-major tensor: the exchange format between engines, files and metrics. Files hold float32
 * ({@code data}); a float64 engine also hands over its exact values ({@code precise}, else null), and the
 * metrics read {@link #at} so that such an engine is measured in float64, not in its rounded copy.
 */
public record Tensor(long[] shape, float[] data, double[] precise) {
    public Tensor {
        long n = 1;
        for (long s : shape) n *= s;
        if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        if (precise != null && precise.length != data.length) throw new IllegalArgumentException("float64 values do not match the float32 ones in size");
    }

    /** A float32 tensor. */
    public Tensor(long[] shape, float[] data) {
        this(shape, data, null);
    }

    /** A float64 tensor; its float32 copy is what files get. */
    public static Tensor ofDoubles(long[] shape, double[] values) {
        float[] rounded = new float[values.length];
        for (int k = 0; k < values.length; k++) rounded[k] = (float) values[k];
        return new Tensor(shape, rounded, values);
    }

    /** Element k (row-major) at the tensor's own precision. */
    public double at(int k) {
        return precise != null ? precise[k] : data[k];
    }

    /** The unit roundoff of the values {@link #at} returns: 2^-53 for float64, 2^-24 for float32. */
    public double unitRoundoff() {
        return precise != null ? 0x1p-53 : 0x1p-24;
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
        boolean precise = parts.stream().allMatch(t -> t.precise() != null);
        double[] exact = precise ? new double[data.length] : null;
        int at = 0;
        for (Tensor t : parts) {
            int take = Math.min(t.data().length, data.length - at);
            System.arraycopy(t.data(), 0, data, at, take);
            if (precise) System.arraycopy(t.precise(), 0, exact, at, take);
            at += take;
        }
        long[] shape = parts.get(0).shape().clone();
        shape[0] = rows;
        return new Tensor(shape, data, exact);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return (int) shape[i];
    }
}
