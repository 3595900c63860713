package org.nopelab.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;

/** The ND4J engine must reproduce the plain-Java reference forward pass, state by state, to 1e-5. */
class EngineAgreementTest {
    static ModelConfig config(Activation act, LayerNormPlacement ln, boolean residual, PositionalEncoding pe,
            AttentionMask mask, InitScheme scheme) {
        return new ModelConfig(11, 24, 3, 2, 40, act, ln, residual, 0, pe, mask, 16, new InitConfig(scheme, 0.3, 1.0));
    }

    static int[][] tokens(int batch, int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] t = new int[batch][n];
        for (int[] row : t) for (int i = 0; i < n; i++) row[i] = r.nextInt(vocab);
        return t;
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(config(Activation.gelu, LayerNormPlacement.pre, true, PositionalEncoding.none, AttentionMask.causal, InitScheme.normal)),
                Arguments.of(config(Activation.relu, LayerNormPlacement.post, true, PositionalEncoding.learned, AttentionMask.causal, InitScheme.xavier)),
                Arguments.of(config(Activation.gelu_tanh, LayerNormPlacement.none, true, PositionalEncoding.sinusoidal, AttentionMask.causal, InitScheme.kaiming)),
                Arguments.of(config(Activation.silu, LayerNormPlacement.pre, false, PositionalEncoding.none, AttentionMask.bidirectional, InitScheme.pytorch)),
                Arguments.of(config(Activation.gelu, LayerNormPlacement.post, false, PositionalEncoding.none, AttentionMask.causal, InitScheme.normal)));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void nd4jMatchesReferenceOnEveryState(ModelConfig c) {
        ModelWeights w = WeightInit.initialise(c, 5);
        int[][] tok = tokens(3, 9, c.vocabSize(), 6);
        HiddenStates ref = new ReferenceEngine().forward(c, w, tok);
        HiddenStates nd = new Nd4jEngine(false).forward(c, w, tok);
        assertEquals(ref.all().keySet(), nd.all().keySet());
        for (String name : ref.all().keySet()) {
            Tensor a = ref.get(name), b = nd.get(name);
            assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()), name);
            double scale = 1, worst = 0;
            for (float v : a.data()) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < a.data().length; i++) worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]));
            assertTrue(worst <= 1e-5 * scale, name + ": max |nd4j - reference| = " + worst + " (scale " + scale + ")");
        }
    }

    @Test
    void causalStatesIgnoreTheFutureBidirectionalDoNot() {
        for (AttentionMask mask : new AttentionMask[] {AttentionMask.causal, AttentionMask.bidirectional}) {
            ModelConfig c = config(Activation.gelu, LayerNormPlacement.pre, true, PositionalEncoding.none, mask, InitScheme.normal);
            ModelWeights w = WeightInit.initialise(c, 1);
            int[][] a = tokens(1, 8, c.vocabSize(), 2), b = {a[0].clone()};
            b[0][7] = (a[0][7] + 1) % c.vocabSize(); // change only the last token
            float[] x = new ReferenceEngine().forward(c, w, a).get("layer2").data();
            float[] y = new ReferenceEngine().forward(c, w, b).get("layer2").data();
            double earlier = 0;
            for (int i = 0; i < 7 * c.dModel(); i++) earlier = Math.max(earlier, Math.abs(x[i] - y[i]));
            if (mask == AttentionMask.causal) assertEquals(0.0, earlier, 0, "positions 0..6 must not see position 7");
            else assertTrue(earlier > 1e-4, "bidirectional positions see the change");
        }
    }

    @Test
    void bidirectionalNopeIsPermutationEquivariant() {
        ModelConfig c = config(Activation.gelu, LayerNormPlacement.pre, true, PositionalEncoding.none, AttentionMask.bidirectional, InitScheme.normal);
        ModelWeights w = WeightInit.initialise(c, 3);
        int[][] a = tokens(1, 6, c.vocabSize(), 4);
        int[] perm = {3, 0, 5, 1, 4, 2};
        int[][] b = new int[1][6];
        for (int i = 0; i < 6; i++) b[0][i] = a[0][perm[i]];
        float[] x = new Nd4jEngine(false).forward(c, w, a).get("layer2").data();
        float[] y = new Nd4jEngine(false).forward(c, w, b).get("layer2").data();
        int d = c.dModel();
        for (int i = 0; i < 6; i++) for (int k = 0; k < d; k++) assertEquals(x[perm[i] * d + k], y[i * d + k], 1e-5);
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        ModelConfig c = config(Activation.gelu, LayerNormPlacement.pre, true, PositionalEncoding.learned, AttentionMask.causal, InitScheme.normal);
        float[] a = WeightInit.initialise(c, 9).get("blocks.1.attn.q.weight").data();
        float[] b = WeightInit.initialise(c, 9).get("blocks.1.attn.q.weight").data();
        float[] other = WeightInit.initialise(c, 10).get("blocks.1.attn.q.weight").data();
        assertTrue(java.util.Arrays.equals(a, b));
        assertTrue(!java.util.Arrays.equals(a, other));
        // normal scheme: sample std of 24 x 24 draws is close to 0.3
        double ss = 0;
        for (float v : a) ss += v * v;
        assertEquals(0.3, Math.sqrt(ss / a.length), 0.03);
    }

    @Test
    void activationsMatchPublishedValues() {
        assertEquals(0.8413447460685429, Activation.gelu.apply(1), 1e-15);
        assertEquals(-0.15426876936299344, Activation.gelu.apply(-0.5), 1e-15);
        assertEquals(1.9544997361036416, Activation.gelu.apply(2), 1e-15);
        // erf argument beyond 2.5 takes the continued-fraction branch
        assertEquals(3.9998733150326675, Activation.gelu.apply(4), 1e-14);
        assertEquals(-0.00012668496733247991, Activation.gelu.apply(-4), 1e-15);
        assertEquals(0.8411919906082768, Activation.gelu_tanh.apply(1), 1e-15);
        assertEquals(0.7310585786300049, Activation.silu.apply(1), 1e-15);
    }
}
