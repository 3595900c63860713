package org.nopelab.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.io.ModelFile;
import org.nopelab.core.io.Safetensors;

/** The benchmark's bookkeeping (not its timings: those are measured by running it, never asserted). */
class EngineBenchmarkTest {
    static final EngineBenchmark.Size TINY = new EngineBenchmark.Size("tiny", 16, 8, 2, 1, 16, 2, 3, false);

    @Test
    void flopsFollowTheModelShape() {
        // per token and layer: 4 d^2 (q, k, v, o) + 2 d d_ff (MLP) + 2 T d (scores, weighted sum); plus d V unembedding
        double perToken = 1 * (4 * 64 + 2 * 8 * 16 + 2 * 3 * 8) + 8 * 16;
        assertEquals(2 * 6 * perToken, TINY.forwardFlops(), 1e-9);
        assertEquals(3 * TINY.forwardFlops(), TINY.trainFlops(), 1e-9);
        assertEquals(TINY.forwardFlops() + 2.0 * 2 * 2 * 3 * 3 * 8, TINY.analysisFlops(), 1e-9);
    }

    @Test
    void preparedFilesHoldWhatThePyTorchSideReads(@TempDir Path tmp) throws Exception {
        EngineBenchmark.Setup setup = EngineBenchmark.setup(TINY);
        EngineBenchmark.prepare(TINY, setup, tmp);
        assertEquals(setup.config(), ModelFile.load(tmp.resolve("model.safetensors")).config());
        var batch = Safetensors.read(tmp.resolve("batch.safetensors")).tensors();
        assertEquals(setup.batch().inputs()[1][2], (int) batch.get("inputs").data()[1 * 3 + 2]);
        var java = Safetensors.read(tmp.resolve("java.safetensors")).tensors();
        assertTrue(java.containsKey("state.layer0") && java.containsKey("state.layer1") && java.containsKey("loss"));
        assertEquals(setup.weights().all().size(), java.keySet().stream().filter(k -> k.startsWith("grad.")).count(), "a gradient per parameter");
    }

    @Test
    void rivalRunsAreTakenInTurnWithOursAndTheMedianRunIsReported() {
        AtomicInteger ours = new AtomicInteger();
        List<Integer> oursSeenByRival = new ArrayList<>();
        double[] rivalWalls = {5, 1, 3, 9, 4};
        EngineBenchmark.Ms[] medians = EngineBenchmark.medianMs(2, rivalWalls.length, ours::incrementAndGet, () -> {
            oursSeenByRival.add(ours.get());
            double wall = rivalWalls[oursSeenByRival.size() - 1];
            return new EngineBenchmark.Ms(wall, 10 * wall);
        });
        int warmUps = ours.get() - rivalWalls.length;
        assertTrue(warmUps >= 2, "warm-up runs of ours come first, untimed");
        for (int k = 0; k < rivalWalls.length; k++) assertEquals(warmUps + k + 1, oursSeenByRival.get(k), "one rival run after each of ours");
        assertEquals(new EngineBenchmark.Ms(4, 40), medians[1], "the rival's median run, its CPU time with it");
    }
}
