package org.nopelab.core.engine.reference;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nopelab.core.engine.Adam;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.Capture;
import org.nopelab.core.engine.HiddenStates;
import org.nopelab.core.engine.LossAndGradients;
import org.nopelab.core.engine.Training;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.model.Alibi;
import org.nopelab.core.model.BlockScheme;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.Rope;
import org.nopelab.core.model.Sinusoid;
import org.nopelab.core.model.Tensor;

/**
 * Plain-Java engine in double precision, written to be obviously right rather than fast: one sequence at a time,
 * loops that follow the equations (README "Forward pass"). Its gradients are central finite differences of its own
 * loss, so it checks the ND4J engine's backward pass and training without sharing a line of it. Weights are read
 * at their own precision ({@link Tensor#at}): float64 weights stay float64.
 */
public final class ReferenceEngine implements TransformerEngine {
    static final double LN_EPS = 1e-5;
    /** Finite-difference step: central differences in float64 are accurate to ~h^2 + 1e-16 / h, about 1e-10 here. */
    static final double H = 1e-5;

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Map<String, String> versions() {
        return Map.of("reference", "plain Java, float64", "engine_threads", "1", "blas_threads", "0");
    }

    @Override
    public void forward(ModelConfig c, ModelWeights w, int[][] tokens, Capture capture, Runnable betweenBlocks) {
        int batch = tokens.length;
        Map<String, double[][][]> out = new LinkedHashMap<>();
        for (int b = 0; b < batch; b++) {
            Map<String, double[][]> one = forwardOne(c, w, tokens[b], capture, betweenBlocks);
            for (var e : one.entrySet()) out.computeIfAbsent(e.getKey(), k -> new double[batch][][])[b] = e.getValue();
        }
        out.forEach((name, v) -> {
            if (name.endsWith(".attn.probs") || name.endsWith(".attn.scores")) return;
            if (capture.wants(name)) capture.state(name, pack(v));
        });
        for (int l = 1; l <= c.layers(); l++) {
            if (capture.wantsProbabilities() || capture.wantsScores()) {
                capture.attention(l, heads(out.get(Capture.probabilities(l)), c.heads()), heads(out.get(Capture.scores(l)), c.heads()));
            }
        }
    }

    /** Mean cross-entropy over the weighted positions of batch, in double precision. */
    public double loss(ModelConfig c, ModelWeights w, Batch batch) {
        double total = 0, weight = 0;
        for (int s = 0; s < batch.size(); s++) {
            double[][] logits = forwardOne(c, w, batch.inputs()[s], Capture.nothing(), () -> {}).get("logits");
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

    /** Loss, central-difference gradients of every parameter (slow: 2 forward passes per weight) and predictions. */
    @Override
    public LossAndGradients lossAndGradients(ModelConfig c, ModelWeights w, Batch batch) {
        ModelWeights x = exact(w);
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : x.all().entrySet()) {
            double[] p = e.getValue().precise(), g = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                double keep = p[k];
                p[k] = keep + H;
                double up = loss(c, x, batch);
                p[k] = keep - H;
                double down = loss(c, x, batch);
                p[k] = keep;
                g[k] = (up - down) / (2 * H);
            }
            grads.put(e.getKey(), g);
        }
        return new LossAndGradients(loss(c, x, batch), grads, predict(c, x, batch.inputs()));
    }

    /** Argmax of the logits at every position. */
    public int[][] predict(ModelConfig c, ModelWeights w, int[][] tokens) {
        int[][] out = new int[tokens.length][];
        for (int s = 0; s < tokens.length; s++) {
            double[][] logits = forwardOne(c, w, tokens[s], Capture.nothing(), () -> {}).get("logits");
            out[s] = new int[logits.length];
            for (int t = 0; t < logits.length; t++) {
                int best = 0;
                for (int k = 1; k < logits[t].length; k++) if (logits[t][k] > logits[t][best]) best = k;
                out[s][t] = best;
            }
        }
        return out;
    }

    @Override
    public Training train(ModelConfig c, ModelWeights w, Adam.Settings adam, Map<String, Tensor> optimizerState, int stepsDone) {
        return new ReferenceTraining(this, c, exact(w), adam, optimizerState, stepsDone);
    }

    /** A float64 copy of the weights (float64 values where they have them). */
    static ModelWeights exact(ModelWeights w) {
        ModelWeights x = new ModelWeights();
        w.all().forEach((name, t) -> {
            double[] v = new double[t.data().length];
            for (int k = 0; k < v.length; k++) v[k] = t.at(k);
            x.put(name, new Tensor(t.shape(), t.data().clone(), v));
        });
        return x;
    }

    private Map<String, double[][]> forwardOne(ModelConfig c, ModelWeights w, int[] tok, Capture capture, Runnable betweenBlocks) {
        int n = tok.length, d = c.dModel();
        Map<String, double[][]> s = new LinkedHashMap<>();
        double[][] x = new double[n][d];
        Tensor emb = w.get("embed.weight");
        Tensor learned = c.pe() == PositionalEncoding.learned ? w.get("pos_embed.weight") : null;
        float[] sinusoid = c.pe() == PositionalEncoding.sinusoidal ? Sinusoid.table(n, d) : null;
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < d; k++) {
                double pe = learned != null ? learned.at(t * d + k) : sinusoid != null ? sinusoid[t * d + k] : 0;
                x[t][k] = emb.at(tok[t] * d + k) + pe;
            }
        }
        s.put(HiddenStates.layer(0), x);
        boolean pre = c.layerNorm() == LayerNormPlacement.pre, post = c.layerNorm() == LayerNormPlacement.post;
        for (int i = 0; i < c.layers(); i++) {
            betweenBlocks.run();
            int l = i + 1;
            double[][] attnIn = pre ? layerNorm(x, w, ModelWeights.block(i, "ln1")) : x;
            if (pre) s.put(HiddenStates.sub(l, "ln1"), attnIn);
            double[][] attn = attention(c, w, i, attnIn, s, capture.wantsProbabilities() || capture.wantsScores());
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

    /**
     * Block i's attention, head by head: RoPE rotates q and k per position, ALiBi adds -m_h |t - u|, the mask and
     * window decide which keys count (a hidden key gets weight exactly 0 and score -Infinity).
     */
    private double[][] attention(ModelConfig c, ModelWeights w, int i, double[][] x, Map<String, double[][]> s, boolean keepAttention) {
        int n = x.length, d = c.dModel(), hd = c.headDim(), heads = c.heads();
        BlockScheme scheme = c.block(i);
        double[][] q = linear(x, w, ModelWeights.block(i, "attn.q"));
        double[][] k = linear(x, w, ModelWeights.block(i, "attn.k"));
        double[][] v = linear(x, w, ModelWeights.block(i, "attn.v"));
        if (scheme.position() == PositionalEncoding.rope) {
            q = rotate(q, c);
            k = rotate(k, c);
        }
        double[] slopes = scheme.position() == PositionalEncoding.alibi ? c.alibiSlopes() : new double[heads];
        double[][] out = new double[n][d];
        double[][] probs = new double[heads * n][n], scores = new double[heads * n][n];
        double scale = 1 / Math.sqrt(hd);
        for (int h = 0; h < heads; h++) {
            int off = h * hd;
            for (int t = 0; t < n; t++) {
                double[] p = probs[h * n + t], z = scores[h * n + t];
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < n; u++) {
                    if (!scheme.attention().allows(t, u, scheme.window())) {
                        z[u] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int e = 0; e < hd; e++) dot += q[t][off + e] * k[u][off + e];
                    z[u] = dot * scale + Alibi.bias(slopes[h], t, u);
                    max = Math.max(max, z[u]);
                }
                double sum = 0;
                for (int u = 0; u < n; u++) sum += p[u] = z[u] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(z[u] - max);
                for (int u = 0; u < n; u++) {
                    p[u] /= sum;
                    for (int e = 0; e < hd; e++) out[t][off + e] += p[u] * v[u][off + e];
                }
            }
        }
        if (keepAttention) {
            s.put(Capture.probabilities(i + 1), probs);
            s.put(Capture.scores(i + 1), scores);
        }
        return linear(out, w, ModelWeights.block(i, "attn.o"));
    }

    /** RoPE on every head of [positions][d_model], from {@link Rope}'s pairing written out: x cos + partner sin. */
    private static double[][] rotate(double[][] x, ModelConfig c) {
        int n = x.length, hd = c.headDim();
        double[] cos = Rope.cos(n, hd, c.rope()), sin = Rope.sin(n, hd, c.rope());
        double[][] y = new double[n][x[0].length];
        for (int t = 0; t < n; t++) {
            for (int h = 0; h < c.heads(); h++) {
                for (int e = 0; e < hd; e++) {
                    int partner = Rope.partner(e, hd, c.rope().fraction());
                    y[t][h * hd + e] = x[t][h * hd + e] * cos[t * hd + e] + x[t][h * hd + partner] * sin[t * hd + e];
                }
            }
        }
        return y;
    }

    /** y = x W^T + b with W in PyTorch layout [out, in]. */
    static double[][] linear(double[][] x, ModelWeights w, String name) {
        Tensor wt = w.get(name + ".weight"), bt = w.get(name + ".bias");
        int out = wt.dim(0), in = wt.dim(1);
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double acc = bt.at(o);
                for (int k = 0; k < in; k++) acc += x[t][k] * wt.at(o * in + k);
                y[t][o] = acc;
            }
        }
        return y;
    }

    static double[][] layerNorm(double[][] x, ModelWeights w, String name) {
        Tensor g = w.get(name + ".weight"), b = w.get(name + ".bias");
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
            for (int k = 0; k < d; k++) y[t][k] = (x[t][k] - mean) * inv * g.at(k) + b.at(k);
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) for (int k = 0; k < a[t].length; k++) y[t][k] = a[t][k] + b[t][k];
        return y;
    }

    /** [sequences][positions][width] as a [sequences, positions, width] tensor. */
    private static Tensor pack(double[][][] v) {
        return pack(v, new long[] {v.length, v[0].length, v[0][0].length});
    }

    /** [sequences][heads * n][n] -> [sequences, heads, n, n]. */
    private static Tensor heads(double[][][] v, int heads) {
        return v == null ? null : pack(v, new long[] {v.length, heads, v[0].length / heads, v[0][0].length});
    }

    /** The values in row-major order under the given shape, float64 through the metrics: this engine is the check. */
    private static Tensor pack(double[][][] v, long[] shape) {
        double[] a = new double[v.length * v[0].length * v[0][0].length];
        int p = 0;
        for (double[][] seq : v) for (double[] row : seq) for (double x : row) a[p++] = x;
        return Tensor.ofDoubles(shape, a);
    }
}
