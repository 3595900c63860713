package org.nopelab.core.internal.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nopelab.core.engine.Adam;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.Capture;
import org.nopelab.core.engine.LossAndGradients;
import org.nopelab.core.engine.Training;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.metrics.SimilarityKind;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;

/**
 * A batch of short sequences split between two threads gives exactly what one thread gives on the whole batch: every
 * captured state and attention tensor, every similarity matrix, in sequence order on the caller's thread.
 */
class BatchSplitTest {
    @AfterEach
    void launchSetting() {
        Engines.threads(0);
    }

    static Stream<ModelConfig> models() {
        return Stream.of(
                FusedEngineTest.model(32, 2, Activation.gelu, LayerNormPlacement.pre, PositionalEncoding.learned, AttentionMask.causal, 0),
                FusedEngineTest.model(24, 3, Activation.gelu_tanh, LayerNormPlacement.post, PositionalEncoding.rope, AttentionMask.sliding_window, 5));
    }

    @Test
    void shortSequencesAreSplitLongOnesAreNot() {
        Engines.threads(2);
        assertEquals(2, BatchSplit.parts(7, BatchSplit.MAX_POSITIONS));
        assertEquals(1, BatchSplit.parts(7, BatchSplit.MAX_POSITIONS + 1), "long sequences share each op instead");
        assertEquals(1, BatchSplit.parts(1, 20), "one sequence is not split");
        Engines.threads(1);
        assertEquals(1, BatchSplit.parts(7, 20));
        assertEquals(List.of(0, 3, 7), List.of(BatchSplit.start(7, 2, 0), BatchSplit.start(7, 2, 1), BatchSplit.start(7, 2, 2)));
    }

    @Test
    void blasRunsOnOneThreadWhileASplitRunsAndOnTheEnginesAfter() {
        Engines.threads(2);
        org.nopelab.nd4j.Nd4jContext.run(() -> {
            assertEquals(2, Gemm.threads());
            int[] during = new int[2];
            BatchSplit.run(2, () -> {}, (k, check) -> during[k] = Gemm.threads());
            assertArrayEquals(new int[] {1, 1}, during, "each part's BLAS on its own thread");
            assertEquals(2, Gemm.threads(), "and the engine's threads again after");
        });
    }

    @ParameterizedTest
    @MethodSource("models")
    void aSplitForwardPassCapturesExactlyTheWholeBatchsStatesAndAttention(ModelConfig c) {
        Nd4jEngine engine = new Nd4jEngine(false, true);
        ModelWeights w = WeightInit.initialise(c, 3);
        int[][] tokens = FusedEngineTest.batch(7, 20, c.vocabSize(), 11).inputs(); // odd: parts of 3 and 4 sequences
        Engines.threads(1);
        Capture whole = Capture.allStates().withAttention(true);
        engine.forward(c, w, tokens, whole, () -> {});
        Engines.threads(2);
        Capture split = Capture.allStates().withAttention(true);
        Thread caller = Thread.currentThread();
        List<Thread> checkedOn = new ArrayList<>();
        engine.forward(c, w, tokens, split, () -> checkedOn.add(Thread.currentThread()));
        assertEquals(List.of(caller, caller), checkedOn, "betweenBlocks runs before each block, on the caller's thread only");
        assertSameTensors(whole.captured().all(), split.captured().all());
        assertSameTensors(whole.attention().all(), split.attention().all());
        assertEquals(2 * c.layers(), split.attention().all().size(), "probabilities and scores of every block");
    }

    @Test
    void splitSimilaritiesAreTheWholeBatchsInSequenceOrderOnTheCallersThread() {
        Nd4jEngine engine = new Nd4jEngine(false, true);
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        float[] v = new float[7 * 20 * 9];
        for (int k = 0; k < v.length; k++) v[k] = (float) r.nextGaussian();
        java.util.Arrays.fill(v, (5 * 20 + 3) * 9, (5 * 20 + 4) * 9, 0f); // a zero state in the helper's part
        Tensor states = new Tensor(new long[] {7, 20, 9}, v);
        for (SimilarityKind kind : SimilarityKind.values()) {
            Engines.threads(1);
            double[][][] whole = engine.similarity(states, kind);
            Engines.threads(2);
            List<Integer> order = new ArrayList<>();
            Thread caller = Thread.currentThread();
            engine.similarities(states, kind, (m, s) -> {
                assertSame(caller, Thread.currentThread(), "handed on on the caller's thread");
                order.add(s);
                for (int i = 0; i < m.length; i++) assertArrayEquals(whole[s][i], m[i], 0, kind + " sequence " + s + " row " + i);
            });
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), order, kind + ": in sequence order");
        }
    }

    @Test
    void aCancelOnTheCallersPartStopsTheSplitPassAndTheNextPassRuns() {
        ModelConfig c = models().findFirst().orElseThrow();
        Nd4jEngine engine = new Nd4jEngine(false, true);
        ModelWeights w = WeightInit.initialise(c, 3);
        int[][] tokens = FusedEngineTest.batch(6, 20, c.vocabSize(), 12).inputs();
        Engines.threads(2);
        IllegalStateException cancel = new IllegalStateException("cancelled");
        int[] calls = {0};
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> engine.forward(c, w, tokens, Capture.allStates(), () -> {
            if (++calls[0] == 2) throw cancel;
        }));
        assertSame(cancel, thrown, "the caller's own exception, not a helper's");
        Capture after = Capture.allStates();
        engine.forward(c, w, tokens, after, () -> {});
        Engines.threads(1);
        Capture whole = Capture.allStates();
        engine.forward(c, w, tokens, whole, () -> {});
        assertSameTensors(whole.captured().all(), after.captured().all());
    }

    @Test
    void aTrainingStepRunsInTwoHalvesWhateverTheThreads() {
        Engines.threads(1);
        assertEquals(2, BatchSplit.trainingParts(7, 20), "halves at one thread too: the numbers must not follow the threads");
        Engines.threads(2);
        assertEquals(2, BatchSplit.trainingParts(7, 20));
        assertEquals(1, BatchSplit.trainingParts(1, 20), "one sequence is not split");
        assertEquals(1, BatchSplit.trainingParts(7, BatchSplit.MAX_POSITIONS + 1), "long sequences share each op instead");
    }

    /**
     * The halves carry the whole batch's loss weight (the loss is a mean over the weighted positions of the batch, not
     * of each half): the step's loss and gradients are the halves' own, each weighted by its share of the batch's
     * loss weight (halves of 3 and 4 sequences here, of uneven weight); and they are the same bits at one and at two
     * threads, where the second half's gradients are added on the helper's thread.
     */
    @ParameterizedTest
    @MethodSource("models")
    void aSplitTrainingStepIsTheWholeBatchsAndTheSameAtOneAndTwoThreads(ModelConfig c) {
        ModelWeights w = WeightInit.initialise(c, 3);
        Batch batch = FusedEngineTest.batch(7, 20, c.vocabSize(), 13);
        for (int t = 0; t < 20; t++) batch.weights()[1][t] = 0; // a sequence without loss: the first half weighs half the second
        Nd4jEngine engine = new Nd4jEngine(false, true);
        Engines.threads(1);
        LossAndGradients one = engine.lossAndGradients(c, w, batch);
        Engines.threads(2);
        LossAndGradients two = engine.lossAndGradients(c, w, batch);
        Batch first = part(batch, 0, 3), second = part(batch, 3, 7);
        LossAndGradients a = engine.lossAndGradients(c, w, first), b = engine.lossAndGradients(c, w, second);
        double wa = weight(first), wb = weight(second), share = wa / (wa + wb);
        assertTrue(wb > wa * 1.2, "halves of uneven weight: " + wa + ", " + wb);
        assertEquals(share * a.loss() + (1 - share) * b.loss(), one.loss(), 1e-6 * one.loss(), "the whole batch's mean loss");
        assertEquals(one.loss(), two.loss(), 0, "loss: bit for bit");
        double scale = 0;
        for (double[] g : one.gradients().values()) for (double v : g) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 0);
        for (String name : one.gradients().keySet()) {
            double[] x = one.gradients().get(name), ga = a.gradients().get(name), gb = b.gradients().get(name);
            double worst = 0;
            for (int k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(share * ga[k] + (1 - share) * gb[k] - x[k]));
            assertTrue(worst <= 1e-5 * scale, name + ": max |weighted halves - step| " + worst + " (largest gradient " + scale + ")");
            assertArrayEquals(x, two.gradients().get(name), 0, name + ": bit for bit at two threads");
        }
        assertArrayEquals(one.predictions(), two.predictions(), "predictions in sequence order");
        Adam.Settings adam = new Adam.Settings(true, 0.9, 0.99, 1e-8, 0.01, 1.0);
        List<Map<String, Tensor>> after = new ArrayList<>();
        for (int threads = 1; threads <= 2; threads++) {
            Engines.threads(threads);
            try (Training training = engine.train(c, w, adam, Map.of(), 0)) {
                for (int s = 0; s < 3; s++) training.step(batch, 1e-3);
                after.add(training.weights().all());
            }
        }
        assertSameTensors(after.get(0), after.get(1)); // no logits among them: every weight bit for bit
        assertTrue(!Arrays.equals(w.get("embed.weight").data(), after.get(0).get("embed.weight").data()), "the steps changed the weights");
    }

    private static Batch part(Batch b, int from, int to) {
        return new Batch(Arrays.copyOfRange(b.inputs(), from, to), Arrays.copyOfRange(b.targets(), from, to), Arrays.copyOfRange(b.weights(), from, to));
    }

    private static double weight(Batch b) {
        double sum = 0;
        for (float[] row : b.weights()) for (float x : row) sum += x;
        return sum;
    }

    /**
     * Bit for bit, but for the logits: with this test's 13-token vocabulary OpenBLAS's SGEMM rounds the last bits of
     * the narrow unembedding product differently for a call's 60 rows than for its 140 (its kernel depends on the
     * call's shape), measured; at paper-d64's shapes (64 tokens, 64 x 30 positions) the logits agree bit for bit too.
     */
    private static void assertSameTensors(Map<String, Tensor> want, Map<String, Tensor> got) {
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) {
            float[] w = want.get(name).data(), g = got.get(name).data();
            assertArrayEquals(want.get(name).shape(), got.get(name).shape(), name);
            float scale = 0;
            for (float x : w) scale = Math.max(scale, Math.abs(x));
            assertArrayEquals(w, g, name.equals("logits") ? scale * 0x1p-21f : 0f, name + (name.equals("logits") ? ": to float32 rounding" : ": bit for bit"));
        }
    }
}
