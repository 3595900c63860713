package org.nopelab.core.engine;

import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/**
 * Plain-Java forward pass in double precision, written to be obviously right rather than fast:
 * one sequence at a time, loops that follow the equations. Tests hold the ND4J engine to it.
 */
public final class ReferenceEngine implements TransformerEngine {
    static final double LN_EPS = 1e-5;

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public HiddenStates forward(ModelConfig c, ModelWeights w, int[][] tokens) {
        int batch = tokens.length;
        java.util.Map<String, double[][][]> out = new java.util.LinkedHashMap<>();
        for (int b = 0; b < batch; b++) {
            java.util.Map<String, double[][]> one = forwardOne(c, w, tokens[b]);
            for (var e : one.entrySet()) {
                out.computeIfAbsent(e.getKey(), k -> new double[batch][][])[b] = e.getValue();
            }
        }
        HiddenStates hs = new HiddenStates();
        out.forEach((name, v) -> hs.put(name, pack(v)));
        return hs;
    }

    /**
     * Mean cross-entropy over the weighted positions, in double precision: the quantity the ND4J gradients are
     * checked against by finite differences.
     */
    public double loss(ModelConfig c, ModelWeights w, org.nopelab.core.train.Batch batch) {
        double total = 0, weight = 0;
        for (int s = 0; s < batch.size(); s++) {
            double[][] logits = forwardOne(c, w, batch.inputs()[s]).get("logits");
            for (int t = 0; t < logits.length; t++) {
                float wt = batch.weights()[s][t];
                if (wt == 0) continue;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (double v : logits[t]) max = Math.max(max, v);
                for (double v : logits[t]) sum += Math.exp(v - max);
                total += wt * (Math.log(sum) + max - logits[t][batch.targets()[s][t]]);
                weight += wt;
            }
        }
        return total / weight;
    }

    private java.util.Map<String, double[][]> forwardOne(ModelConfig c, ModelWeights w, int[] tok) {
        int n = tok.length, d = c.dModel();
        java.util.Map<String, double[][]> s = new java.util.LinkedHashMap<>();
        double[][] x = new double[n][d];
        float[] emb = w.get("embed.weight").data();
        float[] pe = switch (c.pe()) {
            case none -> null;
            case learned -> w.get("pos_embed.weight").data();
            case sinusoidal -> Sinusoid.table(n, d);
        };
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < d; k++) {
                x[t][k] = emb[tok[t] * d + k] + (pe == null ? 0 : pe[t * d + k]);
            }
        }
        s.put(HiddenStates.layer(0), x);
        boolean pre = c.layerNorm() == LayerNormPlacement.pre, post = c.layerNorm() == LayerNormPlacement.post;
        for (int i = 0; i < c.layers(); i++) {
            int l = i + 1;
            double[][] attnIn = pre ? layerNorm(x, w, ModelWeights.block(i, "ln1")) : x;
            if (pre) s.put(HiddenStates.sub(l, "ln1"), attnIn);
            double[][] attn = attention(c, w, i, attnIn);
            s.put(HiddenStates.sub(l, "attn"), attn);
            x = c.residual() ? add(x, attn) : attn;
            if (post) x = layerNorm(x, w, ModelWeights.block(i, "ln1"));
            s.put(HiddenStates.sub(l, "mid"), x);
            double[][] mlpIn = pre ? layerNorm(x, w, ModelWeights.block(i, "ln2")) : x;
            if (pre) s.put(HiddenStates.sub(l, "ln2"), mlpIn);
            double[][] h = linear(mlpIn, w, ModelWeights.block(i, "mlp.fc1"));
            for (double[] row : h) for (int k = 0; k < row.length; k++) row[k] = c.activation().apply(row[k]);
            double[][] mlp = linear(h, w, ModelWeights.block(i, "mlp.fc2"));
            s.put(HiddenStates.sub(l, "mlp"), mlp);
            x = c.residual() ? add(x, mlp) : mlp;
            if (post) x = layerNorm(x, w, ModelWeights.block(i, "ln2"));
            s.put(HiddenStates.layer(l), x);
        }
        if (pre) {
            x = layerNorm(x, w, "final_ln");
            s.put("final_ln", x);
        }
        s.put("logits", linear(x, w, "unembed"));
        return s;
    }

    private double[][] attention(ModelConfig c, ModelWeights w, int i, double[][] x) {
        int n = x.length, d = c.dModel(), hd = c.headDim();
        double[][] q = linear(x, w, ModelWeights.block(i, "attn.q"));
        double[][] k = linear(x, w, ModelWeights.block(i, "attn.k"));
        double[][] v = linear(x, w, ModelWeights.block(i, "attn.v"));
        double[][] heads = new double[n][d];
        double scale = 1 / Math.sqrt(hd);
        for (int h = 0; h < c.heads(); h++) {
            int off = h * hd;
            for (int t = 0; t < n; t++) {
                int last = c.attention() == AttentionMask.causal ? t : n - 1;
                double[] p = new double[last + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u <= last; u++) {
                    double dot = 0;
                    for (int e = 0; e < hd; e++) dot += q[t][off + e] * k[u][off + e];
                    p[u] = dot * scale;
                    max = Math.max(max, p[u]);
                }
                double sum = 0;
                for (int u = 0; u <= last; u++) sum += p[u] = Math.exp(p[u] - max);
                for (int u = 0; u <= last; u++) {
                    for (int e = 0; e < hd; e++) heads[t][off + e] += p[u] / sum * v[u][off + e];
                }
            }
        }
        return linear(heads, w, ModelWeights.block(i, "attn.o"));
    }

    /** y = x W^T + b with W in PyTorch layout [out, in]. */
    static double[][] linear(double[][] x, ModelWeights w, String name) {
        Tensor wt = w.get(name + ".weight");
        float[] wd = wt.data(), bd = w.get(name + ".bias").data();
        int out = wt.dim(0), in = wt.dim(1);
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double acc = bd[o];
                for (int k = 0; k < in; k++) acc += x[t][k] * wd[o * in + k];
                y[t][o] = acc;
            }
        }
        return y;
    }

    static double[][] layerNorm(double[][] x, ModelWeights w, String name) {
        float[] g = w.get(name + ".weight").data(), b = w.get(name + ".bias").data();
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0, var = 0;
            for (double v : x[t]) mean += v;
            mean /= d;
            for (double v : x[t]) var += (v - mean) * (v - mean);
            var /= d;
            double inv = 1 / Math.sqrt(var + LN_EPS);
            y[t] = new double[d];
            for (int k = 0; k < d; k++) y[t][k] = (x[t][k] - mean) * inv * g[k] + b[k];
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) for (int k = 0; k < a[t].length; k++) y[t][k] = a[t][k] + b[t][k];
        return y;
    }

    private static Tensor pack(double[][][] v) {
        int b = v.length, n = v[0].length, d = v[0][0].length;
        double[] a = new double[b * n * d];
        int p = 0;
        for (double[][] seq : v) for (double[] row : seq) for (double x : row) a[p++] = x;
        return Tensor.ofDoubles(new long[] {b, n, d}, a); // float64 through the metrics: this engine is the check
    }
}
