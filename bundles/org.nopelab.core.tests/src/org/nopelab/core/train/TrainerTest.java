package org.nopelab.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.InitConfig;
import org.nopelab.core.model.InitScheme;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.WeightInit;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.monitor.TrainingPoint;
import org.nopelab.core.run.CancelAfter;

class TrainerTest {
    @TempDir
    Path tmp;

    static final ModelConfig MODEL = new ModelConfig(16, 32, 2, 2, 64, Activation.gelu, LayerNormPlacement.pre, true, 0,
            PositionalEncoding.none, AttentionMask.causal, 64, new InitConfig(InitScheme.normal, 0.02, 1.0));

    static TrainConfig train(int steps, double lr) {
        return new TrainConfig(steps, 32, lr, 0.9, 0.999, 1e-8, 0.01, "adamw", 10, "cosine", 0, 1.0, 20, 256, 20);
    }

    @Test
    void nopeModelLearnsModularAddition() throws IOException {
        Task task = Task.of(new TaskConfig("modp", 5, 0));
        Trainer.Outcome out = Trainer.train(MODEL, WeightInit.initialise(MODEL, 1), task, train(300, 3e-3), 7, null, "x", RunMonitor.NONE);
        // 25 possible sums; measured: 1.00 after 300 steps (chance 0.2)
        assertTrue(out.evaluation().token() > 0.95, "accuracy " + out.evaluation());
        assertEquals(15, out.curve().size(), "a curve row every 20 steps");
        assertTrue(out.curve().get(14).loss() < out.curve().get(0).loss() / 4, "loss falls");
    }

    /** Copy-task training of 60 steps (experiment "h", data seed 3) from seed-2 weights: the runs the resume tests compare. */
    static final Task COPY = Task.of(new TaskConfig("copy", 0, 8));
    static final ModelWeights INIT = WeightInit.initialise(MODEL, 2);

    private Trainer.Outcome copyRun(Path checkpoints, RunMonitor monitor) throws IOException {
        return Trainer.train(MODEL, INIT, COPY, train(60, 1e-3), 3, checkpoints, "h", monitor);
    }

    /** The uninterrupted run, and a second one cancelled after 40 steps into {@code interrupted} (checkpoints at 20 and 40). */
    private Trainer.Outcome straightAndInterrupted(Path interrupted) throws IOException {
        Trainer.Outcome straight = copyRun(tmp.resolve("a"), RunMonitor.NONE);
        assertThrows(RunCancelledException.class, () -> copyRun(interrupted, new CancelAfter(40)));
        return straight;
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        Task task = COPY;
        ModelWeights init = INIT;
        Trainer.Outcome straight = straightAndInterrupted(tmp.resolve("b"));
        Trainer.Outcome resumed = copyRun(tmp.resolve("b"), RunMonitor.NONE);
        assertEquals(40, resumed.resumedFromStep());
        for (String name : straight.weights().all().keySet()) {
            assertArrayEquals(straight.weights().get(name).data(), resumed.weights().get(name).data(), 0f, name);
        }
        // the curve too, but for throughput, which is wall-clock
        assertEquals(straight.curve().stream().map(TrainerTest::withoutTiming).toList(), resumed.curve().stream().map(TrainerTest::withoutTiming).toList());
        // a checkpoint of another experiment is never picked up
        assertEquals(0, Trainer.train(MODEL, init, task, train(20, 1e-3), 3, tmp.resolve("b"), "other", RunMonitor.NONE).resumedFromStep());
        // nor one written by other software: relabel every checkpoint of "h" as written by an older build
        try (var files = java.nio.file.Files.list(tmp.resolve("b"))) {
            for (java.nio.file.Path f : files.filter(x -> x.toString().endsWith(".safetensors")).toList()) {
                var c = org.nopelab.core.io.Safetensors.read(f);
                java.util.Map<String, String> metadata = new java.util.HashMap<>(c.metadata());
                assertEquals(org.nopelab.core.io.Software.current(), metadata.get("software"), "each checkpoint names its software");
                metadata.put("software", "NoPE Lab 0.0.1.old, ND4J 1.0.0-M2.1");
                org.nopelab.core.io.Safetensors.write(f, c.tensors(), metadata);
            }
        }
        assertEquals(0, copyRun(tmp.resolve("b"), RunMonitor.NONE).resumedFromStep(),
                "a checkpoint of another build is not resumed");
    }

    /**
     * A checkpoint with flipped data bytes is passed over, with a warning, for the one before, and training still
     * ends with the weights of an uninterrupted run; when no checkpoint of the experiment is intact it refuses.
     */
    @Test
    void damagedCheckpointsFallBackToThePreviousGoodOneOrRefuse() throws IOException {
        Task task = COPY;
        ModelWeights init = INIT;
        Trainer.Outcome straight = straightAndInterrupted(tmp.resolve("d"));
        Path newest = tmp.resolve("d/step-00000040.safetensors");
        byte[] bytes = java.nio.file.Files.readAllBytes(newest);
        bytes[bytes.length - 100] ^= 0x40; // one flipped bit inside the tensor data
        java.nio.file.Files.write(newest, bytes);
        org.nopelab.core.run.RecordingMonitor monitor = new org.nopelab.core.run.RecordingMonitor();
        java.util.List<String> log = monitor.lines;
        Trainer.Outcome resumed = copyRun(tmp.resolve("d"), monitor);
        assertEquals(20, resumed.resumedFromStep(), "the previous good checkpoint");
        assertTrue(log.stream().anyMatch(l -> l.contains("step-00000040.safetensors: its tensors do not match their checksum")), log.toString());
        for (String name : straight.weights().all().keySet()) assertArrayEquals(straight.weights().get(name).data(), resumed.weights().get(name).data(), 0f, name);

        // every checkpoint truncated: refuse, naming them, rather than silently train from scratch
        try (var files = java.nio.file.Files.list(tmp.resolve("d"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".safetensors")).toList()) {
                java.nio.file.Files.write(f, java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(f), 5000));
            }
        }
        IOException e = assertThrows(IOException.class, () -> Trainer.train(MODEL, init, task, train(80, 1e-3), 3, tmp.resolve("d"), "h", RunMonitor.NONE));
        assertTrue(e.getMessage().startsWith("no intact checkpoint of this experiment in " + tmp.resolve("d")) && e.getMessage().contains("truncated"), e.getMessage());
    }

    private static TrainingPoint withoutTiming(TrainingPoint r) {
        return new TrainingPoint(r.step(), r.loss(), r.lr(), r.gradNorm(), r.batchAccuracy(), r.evalTokenAccuracy(), r.evalSequenceAccuracy(), 0);
    }

    @Test
    void nonFiniteLossStopsWithTheStepAndTheLastGoodCheckpoint() throws IOException {
        Task task = Task.of(new TaskConfig("copy", 0, 8));
        ModelWeights init = WeightInit.initialise(MODEL, 2);
        init.get("blocks.1.mlp.fc2.weight").data()[3] = Float.NaN;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.train(MODEL, init, task, train(40, 1e-3), 3, tmp.resolve("c"), "h", RunMonitor.NONE));
        assertTrue(e.getMessage().startsWith("training diverged at step 1: loss NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("Last good checkpoint: step 0"), e.getMessage());
    }

    @Test
    void tasksFollowTheirDefinitions() {
        Batch add = Task.of(new TaskConfig("add3", 0, 0)).sample(new SplittableRandom(1), 50);
        for (int s = 0; s < 50; s++) {
            int[] in = add.inputs()[s], out = add.targets()[s];
            int a = in[0] * 100 + in[1] * 10 + in[2], b = in[4] * 100 + in[5] * 10 + in[6];
            assertEquals(10, in[3]);
            assertEquals(11, in[7]);
            int sum = out[7] + 10 * out[8] + 100 * out[9] + 1000 * out[10]; // answer least-significant first
            assertEquals(a + b, sum);
            assertEquals(4, (int) (add.weights()[s][7] + add.weights()[s][8] + add.weights()[s][9] + add.weights()[s][10]));
            assertEquals(0, add.weights()[s][6], 0);
        }
        Batch mod = Task.of(new TaskConfig("modp", 7, 0)).sample(new SplittableRandom(2), 50);
        for (int s = 0; s < 50; s++) assertEquals((mod.inputs()[s][0] + mod.inputs()[s][2]) % 7, mod.targets()[s][3]);
        Batch par = Task.of(new TaskConfig("parity", 0, 6)).sample(new SplittableRandom(3), 50);
        for (int s = 0; s < 50; s++) {
            int ones = 0;
            for (int t = 0; t < 6; t++) ones += par.inputs()[s][t];
            assertEquals(ones % 2, par.targets()[s][6]);
            assertEquals(1, par.weights()[s][6], 0);
        }
        Batch copy = Task.of(new TaskConfig("copy", 0, 8)).sample(new SplittableRandom(4), 5);
        assertEquals(copy.inputs()[2][4], copy.targets()[2][5]);
        assertEquals(0, copy.weights()[2][0], 0);
    }

    /** Place-coded add3: each digit's id carries its place (10 x place + digit), + is 40, = is 41, vocabulary 42. */
    @Test
    void placeCodedAdditionWritesEachDigitWithItsPlace() {
        Task task = Task.of(new TaskConfig("add3", 0, 0, "place_coded"));
        assertEquals(42, task.vocabSize());
        Batch add = task.sample(new SplittableRandom(1), 50);
        for (int s = 0; s < 50; s++) {
            int[] in = add.inputs()[s], out = add.targets()[s];
            assertEquals(List.of(2, 1, 0, 2, 1, 0), List.of(in[0] / 10, in[1] / 10, in[2] / 10, in[4] / 10, in[5] / 10, in[6] / 10), "hundreds, tens, units");
            assertEquals(40, in[3]);
            assertEquals(41, in[7]);
            int a = in[0] % 10 * 100 + in[1] % 10 * 10 + in[2] % 10, b = in[4] % 10 * 100 + in[5] % 10 * 10 + in[6] % 10;
            for (int k = 0; k < 4; k++) assertEquals(k, out[7 + k] / 10, "answer digit " + k + " is at place " + k);
            assertEquals(a + b, out[7] % 10 + 10 * (out[8] % 10) + 100 * (out[9] % 10) + 1000 * (out[10] % 10));
        }
    }

    /**
     * Held-out inputs are never trained on: over 200,000 training draws of add3 (10^6 inputs) not one of the
     * evaluation inputs appears, and about 10% of the input space is held out. Tasks whose input space is too small
     * to split (parity-8, modp 23) say so instead.
     */
    @Test
    void heldOutInputsAreDisjointFromTrainingInputs() {
        Task add = Task.of(new TaskConfig("add3", 0, 0));
        assertTrue(add.holdsOut());
        java.util.Set<Integer> held = new java.util.HashSet<>();
        Batch eval = add.sample(new SplittableRandom(9), 2000, Task.Split.heldOut);
        for (int[] in : eval.inputs()) held.add(in[0] * 100000 + in[1] * 10000 + in[2] * 1000 + in[4] * 100 + in[5] * 10 + in[6]);
        SplittableRandom r = new SplittableRandom(10);
        for (int k = 0; k < 100; k++) {
            for (int[] in : add.sample(r, 2000).inputs()) {
                int key = in[0] * 100000 + in[1] * 10000 + in[2] * 1000 + in[4] * 100 + in[5] * 10 + in[6];
                assertTrue(!held.contains(key), "training drew a held-out input");
            }
        }
        int heldOutKeys = 0;
        for (long key = 0; key < 1_000_000; key++) if (Tasks.heldOut(key)) heldOutKeys++;
        assertEquals(100_000, heldOutKeys, 1_500, "10% of the input space");
        assertTrue(!Task.of(new TaskConfig("parity", 0, 8)).holdsOut());
        assertEquals("not held out: the 256 inputs are too few to split, so the evaluation draws from inputs trained on",
                Task.of(new TaskConfig("parity", 0, 8)).evaluationSet());
        assertEquals("held out: 10% of the 65,536 inputs, never trained on", Task.of(new TaskConfig("parity", 0, 16)).evaluationSet());
        assertTrue(!Task.of(new TaskConfig("modp", 23, 0)).holdsOut(), "529 pairs");
    }

    /** A parity curriculum trains on start bits first, one more every N steps, and evaluates at the full length. */
    @Test
    void parityCurriculumLengthensWithTheSteps() {
        Task task = Task.of(new TaskConfig("parity", 0, 8, "plain", 2, 100));
        assertEquals(9, task.positions(), "the full task: 8 bits and '='");
        for (int[] stepAndBits : new int[][] {{0, 2}, {99, 2}, {100, 3}, {550, 7}, {600, 8}, {5000, 8}}) {
            Batch b = task.atStep(stepAndBits[0]).sample(new SplittableRandom(1), 4);
            assertEquals(stepAndBits[1] + 1, b.positions(), "step " + stepAndBits[0]);
            int ones = 0;
            for (int t = 0; t < stepAndBits[1]; t++) ones += b.inputs()[0][t];
            assertEquals(ones % 2, b.targets()[0][stepAndBits[1]], "the parity of the shorter string");
        }
        assertEquals(9, task.sample(new SplittableRandom(2), 4, Task.Split.heldOut).positions(), "evaluation at the full length");
    }
}
