package org.nopelab.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/**
 * Adam and AdamW with PyTorch's update formula (torch.optim.Adam / AdamW, single-tensor path):
 * Adam adds weight_decay * p to the gradient, AdamW first scales p by (1 - lr * weight_decay); then
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * Moments are float32, as in PyTorch, so a checkpoint holds the optimizer state exactly.
 */
public final class Adam {
    private final TrainConfig c;
    private final boolean decoupled;
    private final Map<String, float[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    private int step;

    public Adam(TrainConfig c) {
        this.c = c;
        this.decoupled = "adamw".equals(c.optimizer());
    }

    public int step() {
        return step;
    }

    /** One update of every parameter in place, at the given learning rate. */
    public void update(ModelWeights w, Map<String, double[]> grads, double lr) {
        step++;
        double bc1 = 1 - Math.pow(c.beta1(), step), bc2Sqrt = Math.sqrt(1 - Math.pow(c.beta2(), step));
        for (Map.Entry<String, Tensor> e : w.all().entrySet()) {
            float[] p = e.getValue().data();
            double[] g = grads.get(e.getKey());
            float[] mm = m.computeIfAbsent(e.getKey(), k -> new float[p.length]);
            float[] vv = v.computeIfAbsent(e.getKey(), k -> new float[p.length]);
            for (int i = 0; i < p.length; i++) {
                double grad = g[i];
                if (c.weightDecay() != 0) {
                    if (decoupled) p[i] = (float) (p[i] * (1 - lr * c.weightDecay()));
                    else grad += c.weightDecay() * p[i];
                }
                mm[i] = (float) (c.beta1() * mm[i] + (1 - c.beta1()) * grad);
                vv[i] = (float) (c.beta2() * vv[i] + (1 - c.beta2()) * grad * grad);
                p[i] = (float) (p[i] - lr / bc1 * mm[i] / (Math.sqrt(vv[i]) / bc2Sqrt + c.eps()));
            }
        }
    }

    /** Optimizer state as tensors named "adam.m.NAME" / "adam.v.NAME", for checkpoints. */
    public Map<String, Tensor> state(ModelWeights w) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : w.all().entrySet()) {
            long[] shape = e.getValue().shape();
            int n = e.getValue().data().length;
            out.put("adam.m." + e.getKey(), new Tensor(shape, m.getOrDefault(e.getKey(), new float[n]).clone()));
            out.put("adam.v." + e.getKey(), new Tensor(shape, v.getOrDefault(e.getKey(), new float[n]).clone()));
        }
        return out;
    }

    public void restore(Map<String, Tensor> state, int atStep) {
        state.forEach((name, t) -> {
            if (name.startsWith("adam.m.")) m.put(name.substring(7), t.data().clone());
            else if (name.startsWith("adam.v.")) v.put(name.substring(7), t.data().clone());
        });
        step = atStep;
    }

    /**
     * Scales all gradients together so their global L2 norm is at most maxNorm (torch.nn.utils.clip_grad_norm_,
     * factor maxNorm / (norm + 1e-6)); returns the norm before clipping. maxNorm <= 0 disables clipping.
     */
    public static double clip(Map<String, double[]> grads, double maxNorm) {
        double sq = 0;
        for (double[] g : grads.values()) for (double x : g) sq += x * x;
        double norm = Math.sqrt(sq);
        if (maxNorm > 0 && norm > maxNorm) {
            double f = maxNorm / (norm + 1e-6);
            for (double[] g : grads.values()) for (int i = 0; i < g.length; i++) g[i] *= f;
        }
        return norm;
    }
}
