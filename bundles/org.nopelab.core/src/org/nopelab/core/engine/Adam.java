package org.nopelab.core.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Collection;

/**
 * Adam and AdamW with PyTorch's update formula (torch.optim.Adam / AdamW, single-tensor path):
 * Adam adds weight_decay * p to the gradient, AdamW first scales p by (1 - lr * weight_decay); then
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * One kernel for every engine: it works on {@link Values}, so the ND4J engine updates its native buffers in
 * place and the reference engine its Java arrays, with the same arithmetic (double, rounded to the storage type).
 */
public final class Adam {
    /** The optimizer part of the train section. */
    public record Settings(boolean decoupled, double beta1, double beta2, double eps, double weightDecay, double clipNorm) {}

    /** A parameter's (or moment's, or gradient's) values wherever they are stored. */
    public interface Values {
        int size();

        double get(int i);

        void set(int i, double v);

        static Values of(float[] a) {
            return of(FloatBuffer.wrap(a));
        }

        static Values of(double[] a) {
            return of(DoubleBuffer.wrap(a));
        }

        static Values of(FloatBuffer b) {
            return new Values() {
                @Override public int size() { return b.limit(); }
                @Override public double get(int i) { return b.get(i); }
                @Override public void set(int i, double v) { b.put(i, (float) v); }
            };
        }

        static Values of(DoubleBuffer b) {
            return new Values() {
                @Override public int size() { return b.limit(); }
                @Override public double get(int i) { return b.get(i); }
                @Override public void set(int i, double v) { b.put(i, v); }
            };
        }
    }

    private final Settings s;
    private int step;
    private double bc1, bc2Sqrt;

    public Adam(Settings s, int stepsDone) {
        this.s = s;
        this.step = stepsDone;
    }

    public int step() {
        return step;
    }

    /** Starts update t = step + 1 (the bias corrections of this step); call once, then {@link #update} per parameter. */
    public void next() {
        step++;
        bc1 = 1 - Math.pow(s.beta1(), step);
        bc2Sqrt = Math.sqrt(1 - Math.pow(s.beta2(), step));
    }

    public Settings settings() {
        return s;
    }

    /** 1 - beta1^t of the step {@link #next} started (what a kernel doing {@link #update}'s arithmetic needs). */
    public double biasCorrection1() {
        return bc1;
    }

    /** sqrt(1 - beta2^t) of the step {@link #next} started. */
    public double biasCorrection2Sqrt() {
        return bc2Sqrt;
    }

    /** One parameter's update in place, its gradient multiplied by gradScale first (the clipping factor). */
    public void update(Values p, Values m, Values v, Values g, double lr, double gradScale) {
        for (int i = 0, n = p.size(); i < n; i++) {
            double grad = g.get(i) * gradScale, pi = p.get(i);
            if (s.weightDecay() != 0) {
                if (s.decoupled()) {
                    p.set(i, pi * (1 - lr * s.weightDecay()));
                    pi = p.get(i);
                } else {
                    grad += s.weightDecay() * pi;
                }
            }
            m.set(i, s.beta1() * m.get(i) + (1 - s.beta1()) * grad);
            v.set(i, s.beta2() * v.get(i) + (1 - s.beta2()) * grad * grad);
            p.set(i, pi - lr / bc1 * m.get(i) / (Math.sqrt(v.get(i)) / bc2Sqrt + s.eps()));
        }
    }

    /** The global L2 norm of all gradients (torch.nn.utils.clip_grad_norm_'s total norm). */
    public static double norm(Collection<Values> grads) {
        double sq = 0;
        for (Values g : grads) for (int i = 0, n = g.size(); i < n; i++) sq += g.get(i) * g.get(i);
        return Math.sqrt(sq);
    }

    /** The factor clip_grad_norm_ scales by, maxNorm / (norm + 1e-6), or 1 when the norm is within maxNorm or maxNorm <= 0. */
    public double clipScale(double norm) {
        return s.clipNorm() > 0 && norm > s.clipNorm() ? s.clipNorm() / (norm + 1e-6) : 1;
    }
}
