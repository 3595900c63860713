package org.nopelab.kernels;

import static org.nopelab.kernels.internal.Native.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.nopelab.kernels.internal.Native;
import org.nopelab.kernels.internal.Parallel;

/**
 * One Adam / AdamW update of a float32 parameter in place, with its float32 moments and gradient: the same double
 * arithmetic as the engine-independent Adam (org.nopelab.core.engine.Adam.update), operation for operation and
 * without fused multiply-adds, so the results are bit-identical to it (IEEE-exact lanes: mul, add, div, sqrt),
 * eight lanes at a time and on the engine's threads. The scalar loop cost 4% of a paper-size training step, all of
 * it on one thread (JFR, measured).
 */
public final class AdamKernel {
    private AdamKernel() {}

    /**
     * This step's numbers: the learning rate, the gradient's factor (clipping), beta1, beta2, eps, weight decay
     * (decoupled for AdamW), and the bias corrections 1 - beta1^t and sqrt(1 - beta2^t).
     */
    public record Step(double lr, double gradScale, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
            double bc1, double bc2Sqrt) {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as D, widened to doubles in one conversion. */
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    public static void update(ByteBuffer p, ByteBuffer m, ByteBuffer v, ByteBuffer g, int n, Step s, int threads) {
        MemorySegment sp = Native.segment(p, n, "p"), sm = Native.segment(m, n, "m"), sv = Native.segment(v, n, "v"), sg = Native.segment(g, n, "g");
        int blocks = (n + D.length() - 1) / D.length();
        // below ~64k values a second thread costs more than it saves
        Parallel.forRange(blocks, n < 65_536 ? 1 : threads, (from, to, chunk) -> {
            int lo = from * D.length(), hi = Math.min(n, to * D.length());
            int i = lo;
            for (; i + D.length() <= hi; i += D.length()) block(sp, sm, sv, sg, 4L * i, s);
            for (; i < hi; i++) scalar(sp, sm, sv, sg, 4L * i, s);
        });
    }

    private static DoubleVector load(MemorySegment seg, long at) {
        return (DoubleVector) FloatVector.fromMemorySegment(H, seg, at, ByteOrder.nativeOrder()).convertShape(VectorOperators.F2D, D, 0);
    }

    /** Rounded to float32, as storing it in the parameter's array does, and back to double for the next operation. */
    private static DoubleVector round(DoubleVector x) {
        return (DoubleVector) x.convertShape(VectorOperators.D2F, H, 0).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void store(DoubleVector x, MemorySegment seg, long at) {
        ((FloatVector) x.convertShape(VectorOperators.D2F, H, 0)).intoMemorySegment(seg, at, ByteOrder.nativeOrder());
    }

    private static void block(MemorySegment sp, MemorySegment sm, MemorySegment sv, MemorySegment sg, long at, Step s) {
        DoubleVector grad = load(sg, at).mul(s.gradScale()), pi = load(sp, at);
        if (s.weightDecay() != 0) {
            if (s.decoupled()) pi = round(pi.mul(1 - s.lr() * s.weightDecay()));
            else grad = grad.add(pi.mul(s.weightDecay()));
        }
        DoubleVector mi = round(load(sm, at).mul(s.beta1()).add(grad.mul(1 - s.beta1())));
        DoubleVector vi = round(load(sv, at).mul(s.beta2()).add(grad.mul(1 - s.beta2()).mul(grad)));
        store(mi, sm, at);
        store(vi, sv, at);
        store(pi.sub(mi.mul(s.lr() / s.bc1()).div(vi.sqrt().div(s.bc2Sqrt()).add(s.eps()))), sp, at);
    }

    /** The same update for one value (the tail). */
    private static void scalar(MemorySegment sp, MemorySegment sm, MemorySegment sv, MemorySegment sg, long at, Step s) {
        double grad = sg.get(F, at) * s.gradScale(), pi = sp.get(F, at);
        if (s.weightDecay() != 0) {
            if (s.decoupled()) pi = (float) (pi * (1 - s.lr() * s.weightDecay()));
            else grad += s.weightDecay() * pi;
        }
        float mi = (float) (s.beta1() * sm.get(F, at) + (1 - s.beta1()) * grad);
        float vi = (float) (s.beta2() * sv.get(F, at) + (1 - s.beta2()) * grad * grad);
        sm.set(F, at, mi);
        sv.set(F, at, vi);
        sp.set(F, at, (float) (pi - s.lr() / s.bc1() * mi / (Math.sqrt(vi) / s.bc2Sqrt() + s.eps())));
    }
}
