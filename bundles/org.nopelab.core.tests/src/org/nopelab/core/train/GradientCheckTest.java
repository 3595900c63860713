package org.nopelab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.LossAndGradients;
import org.nopelab.core.engine.reference.ReferenceEngine;
import org.nopelab.core.internal.nd4j.Nd4jEngine;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.InitConfig;
import org.nopelab.core.model.InitScheme;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.WeightInit;

/**
 * The hand-written ND4J backward pass (float64 mode) against central finite differences of the plain-Java
 * reference loss, for every parameter tensor of tiny models covering each layer option.
 */
class GradientCheckTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(config(Activation.gelu, LayerNormPlacement.pre, true, PositionalEncoding.none, AttentionMask.causal)),
                Arguments.of(config(Activation.relu, LayerNormPlacement.post, true, PositionalEncoding.learned, AttentionMask.causal)),
                Arguments.of(config(Activation.gelu_tanh, LayerNormPlacement.none, false, PositionalEncoding.sinusoidal, AttentionMask.bidirectional)),
                Arguments.of(config(Activation.silu, LayerNormPlacement.pre, false, PositionalEncoding.learned, AttentionMask.causal)),
                // the position schemes of Engine 2: RoPE (whole and partial), ALiBi, a sliding window, a per-layer schedule
                Arguments.of(scheme(PositionalEncoding.rope, AttentionMask.causal, 1.0, null, null)),
                Arguments.of(scheme(PositionalEncoding.rope, AttentionMask.causal, 0.5, null, null)),
                Arguments.of(scheme(PositionalEncoding.alibi, AttentionMask.causal, 1.0, null, null)),
                Arguments.of(scheme(PositionalEncoding.none, AttentionMask.sliding_window, 1.0, null, null)),
                Arguments.of(scheme(PositionalEncoding.rope, AttentionMask.causal, 1.0,
                        java.util.List.of(PositionalEncoding.rope, PositionalEncoding.alibi), java.util.List.of(AttentionMask.sliding_window, AttentionMask.causal))));
    }

    /** head_dim 4 (d 8, 2 heads), window 2 on 5 positions: every scheme acts on the tiny model. */
    static ModelConfig scheme(PositionalEncoding pe, AttentionMask mask, double ropeFraction, java.util.List<PositionalEncoding> layersPe,
            java.util.List<AttentionMask> layersAttention) {
        return new ModelConfig(7, 8, 2, 2, 12, Activation.gelu, LayerNormPlacement.pre, true, 0, pe, mask, 6,
                new InitConfig(InitScheme.normal, 0.5, 1.0), new org.nopelab.core.model.RopeConfig(100, ropeFraction), new org.nopelab.core.model.AlibiConfig(8), 2, layersPe, layersAttention, null);
    }

    static ModelConfig config(Activation a, LayerNormPlacement ln, boolean residual, PositionalEncoding pe, AttentionMask mask) {
        return new ModelConfig(7, 8, 2, 2, 12, a, ln, residual, 0, pe, mask, 6, new InitConfig(InitScheme.normal, 0.5, 1.0));
    }

    static Batch batch(ModelConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int b = 3, n = 5;
        int[][] in = new int[b][n], out = new int[b][n];
        float[][] wt = new float[b][n];
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < n; t++) {
                in[s][t] = r.nextInt(c.vocabSize());
                out[s][t] = r.nextInt(c.vocabSize());
                wt[s][t] = r.nextInt(3) == 0 ? 0 : 1; // some positions do not count
            }
        }
        wt[0][n - 1] = 1;
        return new Batch(in, out, wt);
    }

    /**
     * Two finite-difference checks per sampled entry. Against the ND4J float64 loss with a small step: tight,
     * since it is the same smooth function (measured: agreement to 1e-9 relative as the step shrinks). Against
     * the independent plain-Java loss with a wider step: looser, because the two losses differ by ~1e-9 relative
     * (ND4J's double-precision transcendental ops) and wide steps meet ReLU kinks and LayerNorm curvature.
     */
    @ParameterizedTest
    @MethodSource("models")
    void analyticGradientsMatchFiniteDifferences(ModelConfig c) {
        ModelWeights w = WeightInit.initialise(c, 3);
        Batch batch = batch(c, 4);
        ReferenceEngine ref = new ReferenceEngine();
        Nd4jEngine nd4j = new Nd4jEngine(true);
        LossAndGradients lg = nd4j.lossAndGradients(c, w, batch);
        double refLoss = ref.loss(c, w, batch);
        assertEquals(refLoss, lg.loss(), 1e-7 * refLoss, "loss");
        assertEquals(w.all().keySet(), lg.gradients().keySet(), "a gradient for every parameter");
        SplittableRandom pick = new SplittableRandom(5);
        int checked = 0;
        for (var e : w.all().entrySet()) {
            float[] data = e.getValue().data();
            double[] g = lg.gradients().get(e.getKey());
            for (int k = 0; k < Math.min(6, data.length); k++) {
                int i = pick.nextInt(data.length);
                String at = e.getKey() + "[" + i + "]: analytic " + g[i];
                double tight = difference(data, i, 1e-4f, () -> nd4j.lossAndGradients(c, w, batch).loss());
                assertTrue(Math.abs(tight - g[i]) <= 1e-7 + 1e-4 * Math.abs(tight), at + " vs ND4J finite difference " + tight);
                double loose = difference(data, i, 1e-3f, () -> ref.loss(c, w, batch));
                assertTrue(Math.abs(loose - g[i]) <= 1e-5 + 1e-2 * Math.abs(loose), at + " vs reference finite difference " + loose);
                checked++;
            }
        }
        assertTrue(checked > 60, "checked " + checked + " entries");
    }

    /** Central difference in entry i, divided by the step the float weights really took. */
    private static double difference(float[] data, int i, float step, java.util.function.DoubleSupplier loss) {
        float original = data[i], up = original + step, down = original - step;
        data[i] = up;
        double lossUp = loss.getAsDouble();
        data[i] = down;
        double lossDown = loss.getAsDouble();
        data[i] = original;
        return (lossUp - lossDown) / ((double) up - down);
    }

    @ParameterizedTest
    @MethodSource("models")
    void float32TrainingPassAgreesWithFloat64(ModelConfig c) {
        ModelWeights w = WeightInit.initialise(c, 8);
        Batch batch = batch(c, 9);
        LossAndGradients f32 = new Nd4jEngine(false).lossAndGradients(c, w, batch);
        LossAndGradients f64 = new Nd4jEngine(true).lossAndGradients(c, w, batch);
        assertEquals(f64.loss(), f32.loss(), 1e-5);
        for (String name : f64.gradients().keySet()) {
            double[] a = f64.gradients().get(name), b = f32.gradients().get(name);
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 + 1e-3 * Math.abs(a[i]), name + "[" + i + "]");
        }
    }
}
