package org.nopelab.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nopelab.core.engine.reference.ReferenceEngine;
import org.nopelab.core.internal.nd4j.Nd4jEngine;
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
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;

/**
 * Training through the engine seam: the ND4J engine's session (parameters and moments in native memory, Adam on
 * its buffers) against the reference engine's (finite-difference gradients, Java arrays), and what a session owes
 * its caller: passes that do not leak into each other, weights that are copies, a refused non-finite step.
 */
class TrainingAgreementTest {
    /** A hybrid schedule (RoPE + sliding window, then ALiBi) small enough for finite differences every step. */
    static final ModelConfig MODEL = new ModelConfig(6, 8, 2, 2, 12, Activation.gelu, LayerNormPlacement.pre, true, 0,
            PositionalEncoding.rope, AttentionMask.causal, 6, new InitConfig(InitScheme.normal, 0.4, 1.0), new RopeConfig(100, 1.0),
            new AlibiConfig(8), 2, java.util.List.of(PositionalEncoding.rope, PositionalEncoding.alibi),
            java.util.List.of(AttentionMask.sliding_window, AttentionMask.causal), null);
    /**
     * eps 1e-4, not 1e-8: some gradients are exactly 0 (a key bias under ALiBi shifts a whole score row), where the
     * reference's finite differences give ~1e-11 of noise, and Adam divides by sqrt(v) + eps: at 1e-8 it would turn
     * that noise into steps of lr / 1000.
     */
    static final Adam.Settings ADAMW = new Adam.Settings(true, 0.9, 0.99, 1e-4, 0.01, 1.0);

    static Batch batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] in = new int[2][5], out = new int[2][5];
        float[][] w = new float[2][5];
        for (int s = 0; s < 2; s++) for (int t = 0; t < 5; t++) {
            in[s][t] = r.nextInt(6);
            out[s][t] = r.nextInt(6);
            w[s][t] = 1;
        }
        return new Batch(in, out, w);
    }

    @Test
    void nd4jTrainingFollowsTheReferenceStepByStep() {
        ModelWeights start = WeightInit.initialise(MODEL, 11);
        try (Training nd = new Nd4jEngine(true).train(MODEL, start, ADAMW, Map.of(), 0);
                Training ref = new ReferenceEngine().train(MODEL, start, ADAMW, Map.of(), 0)) {
            for (int step = 0; step < 4; step++) {
                Batch b = batch(step);
                Training.Step x = nd.step(b, 3e-2), y = ref.step(b, 3e-2);
                assertEquals(y.loss(), x.loss(), 1e-9, "loss at step " + step);
                assertEquals(y.gradNorm(), x.gradNorm(), 1e-6 * y.gradNorm(), "gradient norm at step " + step);
            }
            assertEquals(4, nd.steps());
            ModelWeights a = nd.weights(), b = ref.weights();
            double moved = 0;
            for (String name : a.all().keySet()) {
                Tensor p = a.get(name), q = b.get(name), s = start.get(name);
                for (int k = 0; k < p.data().length; k++) {
                    assertEquals(q.at(k), p.at(k), 1e-7, name + "[" + k + "]");
                    moved = Math.max(moved, Math.abs(p.at(k) - s.at(k)));
                }
            }
            assertTrue(moved > 1e-2, "training moved the weights: " + moved);
            Map<String, Tensor> ma = nd.optimizerState(), mb = ref.optimizerState();
            assertEquals(mb.keySet(), ma.keySet());
            for (String k : ma.keySet()) for (int i = 0; i < ma.get(k).data().length; i++) assertEquals(mb.get(k).at(i), ma.get(k).at(i), 1e-7, k);
        }
    }

    /** A resumed session (weights + moments + step count) continues exactly as the uninterrupted one. */
    @Test
    void aResumedSessionContinuesExactly() {
        ModelWeights start = WeightInit.initialise(MODEL, 12);
        TransformerEngine e = new Nd4jEngine(false);
        ModelWeights straight;
        try (Training t = e.train(MODEL, start, ADAMW, Map.of(), 0)) {
            for (int s = 0; s < 6; s++) t.step(batch(s), 1e-2);
            straight = t.weights();
        }
        ModelWeights half;
        Map<String, Tensor> moments;
        try (Training t = e.train(MODEL, start, ADAMW, Map.of(), 0)) {
            for (int s = 0; s < 3; s++) t.step(batch(s), 1e-2);
            half = t.weights();
            moments = t.optimizerState();
        }
        try (Training t = e.train(MODEL, half, ADAMW, moments, 3)) {
            for (int s = 3; s < 6; s++) t.step(batch(s), 1e-2);
            for (String name : straight.all().keySet()) assertTrue(java.util.Arrays.equals(straight.get(name).data(), t.weights().get(name).data()), name);
        }
        assertTrue(java.util.Arrays.equals(WeightInit.initialise(MODEL, 12).get("unembed.weight").data(), start.get("unembed.weight").data()),
                "the caller's weights are untouched");
    }

    /** The float32 session agrees with float64 after training steps. */
    @Test
    void float32SessionTracksFloat64() {
        ModelWeights start = WeightInit.initialise(MODEL, 13);
        try (Training f32 = new Nd4jEngine(false).train(MODEL, start, ADAMW, Map.of(), 0);
                Training f64 = new Nd4jEngine(true).train(MODEL, start, ADAMW, Map.of(), 0)) {
            for (int s = 0; s < 5; s++) assertEquals(f64.step(batch(s), 1e-2).loss(), f32.step(batch(s), 1e-2).loss(), 1e-5, "step " + s);
        }
    }

    /** Each lossAndGradients call is its own pass: calling twice gives the same gradients (nothing carried over). */
    @Test
    void passesDoNotLeakIntoEachOther() {
        ModelWeights w = WeightInit.initialise(MODEL, 14);
        TransformerEngine e = new Nd4jEngine(true);
        LossAndGradients first = e.lossAndGradients(MODEL, w, batch(1));
        e.forward(MODEL, w, batch(2).inputs()); // an unrelated pass in between
        LossAndGradients again = e.lossAndGradients(MODEL, w, batch(1));
        for (String name : first.gradients().keySet()) assertTrue(java.util.Arrays.equals(first.gradients().get(name), again.gradients().get(name)), name);
    }

    /** A step whose loss is not finite is reported and changes nothing. */
    @Test
    void aNonFiniteStepIsRefused() {
        ModelWeights w = WeightInit.initialise(MODEL, 15);
        w.get("unembed.weight").data()[0] = Float.NaN;
        try (Training t = new Nd4jEngine(false).train(MODEL, w, ADAMW, Map.of(), 0)) {
            Training.Step s = t.step(batch(0), 1e-2);
            assertFalse(s.applied());
            assertEquals(0, t.steps());
            assertTrue(Float.isNaN(t.weights().get("unembed.weight").data()[0]));
            assertEquals(w.get("embed.weight").data()[3], t.weights().get("embed.weight").data()[3], 0);
        }
        assertThrows(IllegalArgumentException.class, () -> new Nd4jEngine(false).train(MODEL, new ModelWeights(), ADAMW, Map.of(), 0));
    }
}
