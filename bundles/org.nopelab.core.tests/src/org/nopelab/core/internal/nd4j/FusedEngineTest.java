package org.nopelab.core.internal.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.HiddenStates;
import org.nopelab.core.engine.LossAndGradients;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AlibiConfig;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.InitConfig;
import org.nopelab.core.model.InitScheme;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.RopeConfig;
import org.nopelab.core.model.WeightInit;

/**
 * The engine with its fused kernels against the same engine on ND4J ops alone: every hidden state, the loss and every
 * gradient, for head_dim 16 (the kernels' vector path over a head) and 8, each mask, a window, ALiBi, both GELUs, and
 * a RoPE block (which keeps ND4J's attention but runs the fused LayerNorm and GELU).
 */
class FusedEngineTest {
    static ModelConfig model(int d, int heads, Activation act, LayerNormPlacement ln, PositionalEncoding pe, AttentionMask mask, int window) {
        return new ModelConfig(13, d, heads, 2, 2 * d + 3, act, ln, true, 0, pe, mask, 40, new InitConfig(InitScheme.normal, 0.3, 1.0),
                new RopeConfig(10000, 1.0), new AlibiConfig(8), window, null, null, null);
    }

    static Stream<ModelConfig> models() {
        return Stream.of(
                model(32, 2, Activation.gelu, LayerNormPlacement.pre, PositionalEncoding.none, AttentionMask.causal, 0),
                model(32, 2, Activation.gelu_tanh, LayerNormPlacement.post, PositionalEncoding.none, AttentionMask.bidirectional, 0),
                model(48, 3, Activation.gelu, LayerNormPlacement.pre, PositionalEncoding.alibi, AttentionMask.causal, 0),
                model(24, 3, Activation.gelu, LayerNormPlacement.pre, PositionalEncoding.none, AttentionMask.sliding_window, 5),
                model(32, 2, Activation.relu, LayerNormPlacement.pre, PositionalEncoding.learned, AttentionMask.causal, 0),
                model(32, 2, Activation.gelu, LayerNormPlacement.pre, PositionalEncoding.rope, AttentionMask.causal, 0));
    }

    static Batch batch(int b, int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] in = new int[b][n], out = new int[b][n];
        float[][] w = new float[b][n];
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < n; t++) {
                in[s][t] = r.nextInt(vocab);
                out[s][t] = r.nextInt(vocab);
                w[s][t] = t % 3 == 0 ? 0 : 1;
            }
        }
        return new Batch(in, out, w);
    }

    @ParameterizedTest
    @MethodSource("models")
    void fusedKernelsMatchNd4jOps(ModelConfig c) {
        ModelWeights w = WeightInit.initialise(c, 3);
        Batch batch = batch(3, 21, c.vocabSize(), 4);
        Nd4jEngine fused = new Nd4jEngine(false, true), ops = new Nd4jEngine(false, false);
        HiddenStates a = ops.forward(c, w, batch.inputs()), f = fused.forward(c, w, batch.inputs());
        assertEquals(a.all().keySet(), f.all().keySet());
        for (String name : a.all().keySet()) FusedKernelsTest.close(doubles(a.get(name).data()), doubles(f.get(name).data()), 2e-6, name);
        LossAndGradients la = ops.lossAndGradients(c, w, batch), lf = fused.lossAndGradients(c, w, batch);
        assertEquals(la.loss(), lf.loss(), 1e-6 * la.loss(), "loss");
        double scale = 0;
        for (double[] g : la.gradients().values()) for (double v : g) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 0);
        for (String name : la.gradients().keySet()) {
            double[] x = la.gradients().get(name), y = lf.gradients().get(name);
            double worst = 0;
            for (int k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k] - y[k]));
            assertTrue(worst <= 1e-5 * scale, name + ": max |fused - ops| " + worst + " (largest gradient " + scale + ")");
        }
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) d[k] = f[k];
        return d;
    }
}
