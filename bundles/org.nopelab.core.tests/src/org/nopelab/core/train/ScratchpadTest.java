package org.nopelab.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;

/** Parity with a running-parity scratchpad: its sequences, and greedy decoding where the model writes each p itself. */
class ScratchpadTest {
    static final Task TASK = Task.of(new TaskConfig("parity", 0, 4, "plain", 0, 250, true));

    /** A model that computes p_t = p_(t-1) xor x_t from its own input, optionally writing the first p wrong. */
    static Task.Predictor model(boolean firstWrong) {
        return tokens -> {
            int[][] out = new int[tokens.length][tokens[0].length];
            for (int s = 0; s < tokens.length; s++) {
                for (int t = 0; t < tokens[s].length; t += 2) {
                    int before = t == 0 ? 0 : tokens[s][t - 1] - 2;
                    int p = before ^ tokens[s][t];
                    if (t == 0 && firstWrong) p ^= 1;
                    out[s][t] = 2 + p;
                }
            }
            return out;
        };
    }

    @Test
    void sequencesInterleaveBitsAndTheRunningParity() {
        Batch b = TASK.sample(new SplittableRandom(3), 64);
        assertEquals(7, TASK.positions());
        assertEquals(4, TASK.vocabSize());
        for (int s = 0; s < b.size(); s++) {
            int running = 0;
            for (int t = 0; t < 4; t++) {
                running ^= b.inputs()[s][2 * t];
                assertEquals(2 + running, b.targets()[s][2 * t], "after bit " + t + " comes the parity so far");
                assertEquals(1f, b.weights()[s][2 * t]);
                if (t < 3) {
                    assertEquals(2 + running, b.inputs()[s][2 * t + 1]);
                    assertEquals(0f, b.weights()[s][2 * t + 1], "the next bit is random: it does not count");
                }
            }
        }
        assertArrayEquals(new long[] {16}, new long[] {TASK.inputSpace()});
    }

    /**
     * Greedy decoding: a model right at every step given the true prefix scores 1; one that writes the first p
     * wrong carries the error to the last bit under greedy decoding, though teacher forcing would call it 75% right.
     */
    @Test
    void greedyDecodingFeedsTheModelsOwnTokensBack() {
        Batch eval = TASK.sample(new SplittableRandom(4), 200, Task.Split.heldOut);
        assertEquals(new Task.Accuracy(1, 1), TASK.evaluate(model(false), eval));
        Task.Accuracy greedy = TASK.evaluate(model(true), eval);
        assertEquals(0, greedy.token(), 0, "the error propagates to the final bit");
        assertEquals(0, greedy.sequence(), 0);
        Task.Accuracy forced = Task.Accuracy.of(eval, model(true).predict(eval.inputs()));
        assertEquals(0.75, forced.token(), 1e-12, "teacher-forced, only the first p of four is wrong");
    }

    @Test
    void theScratchpadIsForParityOnly() {
        ExperimentReader.Result r = ExperimentReader.read("schema: nopelab/experiment/1\ntask: {name: modp, scratchpad: true}\nmodel: {vocab_size: 32}\n"
                + "subjects: [{name: t, trained: true}]\n");
        Problem p = r.problems().stream().filter(x -> x.severity() == Problem.Severity.error).findFirst().orElseThrow();
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("task.scratchpad", p.path());
        assertTrue(p.message().contains("for parity, not modp"), p.message());
        ExperimentReader.Result ok = ExperimentReader.read("schema: nopelab/experiment/1\ntask: {name: parity, length: 8, scratchpad: true}\n"
                + "model: {vocab_size: 4}\nsubjects: [{name: t, trained: true}]\n");
        assertTrue(ok.experiment() != null, ok.problems().toString());
        ExperimentReader.Result small = ExperimentReader.read("schema: nopelab/experiment/1\ntask: {name: parity, length: 8, scratchpad: true}\n"
                + "model: {vocab_size: 3}\nsubjects: [{name: t, trained: true}]\n");
        assertTrue(small.problems().stream().anyMatch(x -> x.message().contains("smaller than the 4 token ids")), small.problems().toString());
    }
}
