package org.nopelab.core.theory;

import java.util.SplittableRandom;

import org.nopelab.core.engine.HiddenStates;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.metrics.SimilarityKind;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.InitConfig;
import org.nopelab.core.model.InitScheme;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;

/**
 * Monte-Carlo runs of the engine in each theory's regime, compared with {@link Theory} pair by pair.
 * T1: a one-layer NoPE model without LayerNorm and residual whose query and key weights are zero, so causal
 * attention is exactly uniform; the attention output (state layer1.attn) is measured. K: a one-layer model
 * without LayerNorm whose weights make it the parameter-free layer (W_q = W_k = d^(1/4) I so that the scores are
 * the inner products, W_v = W_o = I, MLP zero, biases zero) on unit-norm embeddings with pairwise inner products
 * alpha; sequences use distinct tokens, as the theory's i.i.d. inputs do.
 */
public final class TheoryCheck {
    private TheoryCheck() {}

    /**
     * Per pair i > j: measured mean cosine over the sequences, its standard error, and the theory's value.
     * {@code maxZ} is the largest |measured - theory| / standard error, {@code maxAbs} the largest |difference|.
     */
    public record Outcome(Theory.Kind kind, int dModel, int positions, int sequences, double parameter,
            double[][] measured, double[][] standardError, double[][] theory, double maxZ, double maxAbs) {

        /**
         * Agreement within sampling error: every pair i > j within 4 standard errors of the mean over sequences,
         * plus 2/d for the finite-width bias (a mean of cosines is not the ratio of mean inner products).
         */
        public boolean agrees() {
            for (int i = 0; i < positions; i++) {
                for (int j = 0; j < i; j++) {
                    if (Math.abs(measured[i][j] - theory[i][j]) > 4 * standardError[i][j] + 2.0 / dModel) return false;
                }
            }
            return true;
        }
    }

    public static Outcome t1(TransformerEngine engine, int d, int n, int sequences, long seed) {
        ModelConfig c = config(d, 4096, false);
        ModelWeights w = WeightInit.initialise(c, seed);
        zero(w, "attn.q");
        zero(w, "attn.k");
        int[][] tokens = new int[sequences][n];
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int[] row : tokens) for (int t = 0; t < n; t++) row[t] = r.nextInt(c.vocabSize());
        HiddenStates s = engine.forward(c, w, tokens);
        return compare(Theory.Kind.t1, d, engine.similarity(s.get(HiddenStates.sub(1, "attn")), SimilarityKind.cosine), 0);
    }

    public static Outcome k(TransformerEngine engine, int d, int n, double alpha, int sequences, long seed) {
        int vocab = Math.max(4096, 2 * n);
        ModelConfig c = config(d, vocab, true);
        ModelWeights w = WeightInit.initialise(c, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        w.put("embed.weight", new Tensor(new long[] {vocab, d}, embeddings(r, vocab, d, alpha)));
        float root = (float) Math.pow(d, 0.25);
        identity(w, "attn.q", root);
        identity(w, "attn.k", root);
        identity(w, "attn.v", 1);
        identity(w, "attn.o", 1);
        zero(w, "mlp.fc1");
        zero(w, "mlp.fc2");
        int[][] tokens = new int[sequences][];
        for (int s = 0; s < sequences; s++) tokens[s] = distinct(r, vocab, n);
        HiddenStates states = engine.forward(c, w, tokens);
        return compare(Theory.Kind.k, d, engine.similarity(states.get(HiddenStates.layer(1)), SimilarityKind.cosine), alpha);
    }

    private static ModelConfig config(int d, int vocab, boolean residual) {
        return new ModelConfig(vocab, d, 1, 1, d, Activation.gelu, LayerNormPlacement.none, residual, 0, PositionalEncoding.none,
                AttentionMask.causal, 64, new InitConfig(InitScheme.normal, 0.02, 1));
    }

    /** Unit vectors x_t = normalise(sqrt(alpha) u + sqrt(1 - alpha) z_t), z_t random and orthogonal to a shared u. */
    private static float[] embeddings(SplittableRandom r, int vocab, int d, double alpha) {
        double[] u = unit(gaussian(r, d));
        float[] out = new float[vocab * d];
        for (int t = 0; t < vocab; t++) {
            double[] z = gaussian(r, d);
            double along = 0;
            for (int c = 0; c < d; c++) along += z[c] * u[c];
            for (int c = 0; c < d; c++) z[c] -= along * u[c];
            z = unit(z);
            double[] x = new double[d];
            for (int c = 0; c < d; c++) x[c] = Math.sqrt(alpha) * u[c] + Math.sqrt(1 - alpha) * z[c];
            x = unit(x);
            for (int c = 0; c < d; c++) out[t * d + c] = (float) x[c];
        }
        return out;
    }

    private static double[] gaussian(SplittableRandom r, int d) {
        double[] z = new double[d];
        for (int c = 0; c < d; c += 2) {
            double u1 = 1 - r.nextDouble(), u2 = r.nextDouble(), rad = Math.sqrt(-2 * Math.log(u1));
            z[c] = rad * Math.cos(2 * Math.PI * u2);
            if (c + 1 < d) z[c + 1] = rad * Math.sin(2 * Math.PI * u2);
        }
        return z;
    }

    private static double[] unit(double[] v) {
        double n = 0;
        for (double x : v) n += x * x;
        n = Math.sqrt(n);
        for (int c = 0; c < v.length; c++) v[c] /= n;
        return v;
    }

    private static int[] distinct(SplittableRandom r, int vocab, int n) {
        int[] all = java.util.stream.IntStream.range(0, vocab).toArray();
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(vocab - i), t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, n);
    }

    private static void zero(ModelWeights w, String part) {
        for (String suffix : new String[] {".weight", ".bias"}) {
            Tensor t = w.get(ModelWeights.block(0, part + suffix));
            w.put(ModelWeights.block(0, part + suffix), Tensor.zeros(t.shape()));
        }
    }

    private static void identity(ModelWeights w, String part, float value) {
        Tensor t = w.get(ModelWeights.block(0, part + ".weight"));
        int d = t.dim(0);
        float[] a = new float[d * d];
        for (int i = 0; i < d; i++) a[i * d + i] = value;
        w.put(ModelWeights.block(0, part + ".weight"), new Tensor(t.shape(), a));
        w.put(ModelWeights.block(0, part + ".bias"), Tensor.zeros(w.get(ModelWeights.block(0, part + ".bias")).shape()));
    }

    private static Outcome compare(Theory.Kind kind, int d, double[][][] perSequence, double parameter) {
        int n = perSequence[0].length, b = perSequence.length;
        double[][] mean = new double[n][n], se = new double[n][n], theory = Theory.matrix(kind, n, parameter);
        double maxZ = 0, maxAbs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, ss = 0;
                for (double[][] m : perSequence) sum += m[i][j];
                mean[i][j] = sum / b;
                for (double[][] m : perSequence) ss += (m[i][j] - mean[i][j]) * (m[i][j] - mean[i][j]);
                se[i][j] = Math.sqrt(ss / (b - 1) / b);
                if (i > j) {
                    double diff = Math.abs(mean[i][j] - theory[i][j]);
                    maxAbs = Math.max(maxAbs, diff);
                    maxZ = Math.max(maxZ, se[i][j] == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / se[i][j]);
                }
            }
        }
        return new Outcome(kind, d, n, b, parameter, mean, se, theory, maxZ, maxAbs);
    }
}
