package org.nopelab.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nopelab.core.engine.reference.ReferenceEngine;
import org.nopelab.core.internal.nd4j.Nd4jEngine;
import org.nopelab.core.model.Alibi;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.BlockScheme;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;

/**
 * RoPE, ALiBi, sliding windows and per-layer schedules: both engines agree state by state and on the captured
 * attention, the attention obeys its mask, and the properties that define each scheme hold.
 */
class PositionSchemesTest {
    static Stream<ModelConfig> variants() {
        return Schemes.all().stream();
    }

    private static Capture everything() {
        return Capture.allStates().withAttention(true);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void enginesAgreeOnEveryStateAndOnAttention(ModelConfig c) {
        ModelWeights w = WeightInit.initialise(c, 5);
        int[][] tok = EngineAgreementTest.tokens(2, 9, c.vocabSize(), 6);
        Capture ref = everything(), nd = everything();
        new ReferenceEngine().forward(c, w, tok, ref, () -> {});
        new Nd4jEngine(false).forward(c, w, tok, nd, () -> {});
        assertEquals(ref.captured().all().keySet(), nd.captured().all().keySet());
        for (String name : ref.captured().all().keySet()) assertClose(ref.captured().get(name), nd.captured().get(name), 1e-5, c.schedule() + " " + name);
        for (int l = 1; l <= c.layers(); l++) {
            assertClose(ref.attention().get(Capture.probabilities(l)), nd.attention().get(Capture.probabilities(l)), 1e-5, c.schedule() + " probs " + l);
            assertClose(ref.attention().get(Capture.scores(l)), nd.attention().get(Capture.scores(l)), 1e-5, c.schedule() + " scores " + l);
        }
    }

    /** Rows sum to 1; a key outside the mask or window has probability exactly 0 and score -Infinity. */
    @ParameterizedTest
    @MethodSource("variants")
    void capturedAttentionRespectsMaskAndWindow(ModelConfig c) {
        int n = 9, heads = c.heads();
        Capture cap = Capture.nothing().withAttention(true);
        new Nd4jEngine(false).forward(c, WeightInit.initialise(c, 2), EngineAgreementTest.tokens(2, n, c.vocabSize(), 3), cap, () -> {});
        for (int l = 1; l <= c.layers(); l++) {
            BlockScheme s = c.block(l - 1);
            Tensor p = cap.attention().get(Capture.probabilities(l)), z = cap.attention().get(Capture.scores(l));
            assertEquals(List.of(2L, (long) heads, (long) n, (long) n), java.util.Arrays.stream(p.shape()).boxed().toList());
            for (int row = 0; row < 2 * heads * n; row++) {
                int t = row % n;
                double sum = 0;
                for (int u = 0; u < n; u++) {
                    double v = p.data()[row * n + u];
                    sum += v;
                    if (!s.attention().allows(t, u, s.window())) {
                        assertEquals(0.0, v, 0, s.label() + " query " + t + " key " + u);
                        assertEquals(Float.NEGATIVE_INFINITY, z.data()[row * n + u], s.label() + " score of a hidden key");
                    }
                }
                assertEquals(1, sum, 1e-5, "row sums to 1");
            }
        }
    }

    /** With one token repeated, RoPE's pre-softmax scores depend only on the offset i - j: they are relative. */
    @Test
    void ropeScoresDependOnlyOnTheOffset() {
        for (double fraction : new double[] {1.0, 0.5}) {
            ModelConfig c = Schemes.model(PositionalEncoding.rope, AttentionMask.bidirectional, 3, fraction, 8, null, null, null);
            int n = 10;
            int[][] same = {new int[n]};
            java.util.Arrays.fill(same[0], 4);
            Capture cap = Capture.nothing().withAttention(true);
            new ReferenceEngine().forward(c, WeightInit.initialise(c, 7), same, cap, () -> {});
            double[] z = cap.attention().get(Capture.scores(1)).precise();
            double spread = 0, worst = 0;
            for (int h = 0; h < c.heads(); h++) {
                for (int t = 0; t + 1 < n; t++) {
                    for (int u = 0; u + 1 < n; u++) {
                        double here = z[(h * n + t) * n + u], shifted = z[(h * n + t + 1) * n + u + 1];
                        worst = Math.max(worst, Math.abs(here - shifted));
                        spread = Math.max(spread, Math.abs(here - z[(h * n) * n]));
                    }
                }
            }
            assertTrue(worst < 1e-12, "score(i, j) = score(i + 1, j + 1) (fraction " + fraction + "): " + worst);
            assertTrue(spread > 1e-3, "and the scores do depend on the offset: " + spread);
        }
    }

    /**
     * A large bias_max sends every ALiBi slope to 0 (below float32's smallest number, and in float64 far below one
     * unit roundoff of any score): the model is NoPE again.
     */
    @Test
    void alibiAtSlopeZeroEqualsNope() {
        ModelConfig alibi = Schemes.model(PositionalEncoding.alibi, AttentionMask.causal, 3, 1.0, 2000, null, null, null);
        ModelConfig nope = Schemes.of(PositionalEncoding.none, AttentionMask.causal);
        for (double s : alibi.alibiSlopes()) assertTrue(s < 1e-100 && (float) s == 0, "slope " + s);
        ModelWeights w = WeightInit.initialise(nope, 4);
        int[][] tok = EngineAgreementTest.tokens(2, 8, nope.vocabSize(), 1);
        for (TransformerEngine e : List.of(new Nd4jEngine(false), new ReferenceEngine())) {
            assertClose(e.forward(nope, w, tok).get("layer4"), e.forward(alibi, w, tok).get("layer4"), 1e-12, e.name());
        }
        // and at the default bias_max the bias changes the states
        ModelConfig real = Schemes.of(PositionalEncoding.alibi, AttentionMask.causal);
        Tensor a = new ReferenceEngine().forward(nope, w, tok).get("layer4"), b = new ReferenceEngine().forward(real, w, tok).get("layer4");
        double diff = 0;
        for (int k = 0; k < a.data().length; k++) diff = Math.max(diff, Math.abs(a.at(k) - b.at(k)));
        assertTrue(diff > 1e-3, "ALiBi at bias_max 8 differs from NoPE: " + diff);
    }

    /** Press et al.'s slopes: 2^-1 .. 2^-8 for 8 heads; for 6 heads the 4-head slopes, then 2^-0.5 and 2^-1.5. */
    @Test
    void alibiSlopesFollowPressEtAl() {
        double[] eight = Alibi.slopes(8, 8);
        for (int h = 0; h < 8; h++) assertEquals(Math.pow(2, -(h + 1)), eight[h], 1e-15);
        double[] six = Alibi.slopes(6, 8);
        double[] expected = {0.25, 0.0625, 0.015625, 0.00390625, Math.pow(2, -1), Math.pow(2, -3)};
        // 4 heads: 2^-2, 2^-4, 2^-6, 2^-8; 8 heads: 2^-1 .. 2^-8, every other from the first: 2^-1, 2^-3
        for (int h = 0; h < 6; h++) assertEquals(expected[h], six[h], 1e-15, "head " + h);
    }

    /** A window as long as the sequence is global causal attention, exactly. */
    @Test
    void windowAsLongAsTheSequenceIsCausal() {
        int n = 9;
        ModelConfig causal = Schemes.of(PositionalEncoding.rope, AttentionMask.causal);
        ModelConfig window = Schemes.model(PositionalEncoding.rope, AttentionMask.sliding_window, n, 1.0, 8, null, null, null);
        ModelWeights w = WeightInit.initialise(causal, 9);
        int[][] tok = EngineAgreementTest.tokens(2, n, causal.vocabSize(), 2);
        for (TransformerEngine e : List.of(new Nd4jEngine(false), new ReferenceEngine())) {
            assertClose(e.forward(causal, w, tok).get("logits"), e.forward(window, w, tok).get("logits"), 0, e.name());
        }
        ModelConfig shorter = Schemes.model(PositionalEncoding.rope, AttentionMask.sliding_window, n - 1, 1.0, 8, null, null, null);
        Tensor a = new ReferenceEngine().forward(causal, w, tok).get("logits"), b = new ReferenceEngine().forward(shorter, w, tok).get("logits");
        assertTrue(Math.abs(a.at(a.data().length - 1) - b.at(b.data().length - 1)) > 0, "one key fewer at the last position changes it");
    }

    /** Bidirectional NoPE is permutation-equivariant in both engines; bidirectional RoPE is not. */
    @Test
    void bidirectionalNopeStaysPermutationEquivariant() {
        int[] perm = {3, 0, 5, 1, 4, 2};
        for (PositionalEncoding pe : new PositionalEncoding[] {PositionalEncoding.none, PositionalEncoding.rope}) {
            ModelConfig c = Schemes.of(pe, AttentionMask.bidirectional);
            ModelWeights w = WeightInit.initialise(c, 3);
            int[][] a = EngineAgreementTest.tokens(1, 6, c.vocabSize(), 4), b = new int[1][6];
            for (int i = 0; i < 6; i++) b[0][i] = a[0][perm[i]];
            for (TransformerEngine e : List.of(new Nd4jEngine(false), new ReferenceEngine())) {
                Tensor x = e.forward(c, w, a).get("layer4"), y = e.forward(c, w, b).get("layer4");
                double worst = 0;
                int d = c.dModel();
                for (int i = 0; i < 6; i++) for (int k = 0; k < d; k++) worst = Math.max(worst, Math.abs(x.at(perm[i] * d + k) - y.at(i * d + k)));
                if (pe == PositionalEncoding.none) assertTrue(worst < 1e-5, e.name() + " NoPE: " + worst);
                else assertTrue(worst > 1e-3, e.name() + " RoPE sees order: " + worst);
            }
        }
    }

    /** The schedule syntax resolves block by block as documented. */
    @Test
    void schedulesResolveBlockByBlock() {
        List<ModelConfig> all = Schemes.all();
        assertEquals("input none; blocks rope, rope, rope, none", all.get(6).schedule());
        assertEquals("input none; blocks rope+sliding_window(3), rope+sliding_window(3), rope+sliding_window(3), none", all.get(7).schedule());
        assertEquals("input none; blocks alibi, rope, alibi, rope", all.get(8).schedule());
    }

    static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = 1, worst = 0;
        for (int k = 0; k < expected.data().length; k++) {
            double a = expected.at(k), b = actual.at(k);
            if (a == b) continue; // also -Infinity where both hide a key
            scale = Math.max(scale, Math.abs(a));
            worst = Math.max(worst, Math.abs(a - b));
        }
        assertTrue(worst <= tolerance * scale, what + ": max |difference| = " + worst + " (scale " + scale + ")");
    }
}
