package org.nopelab.core.internal.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.WeightInit;

/** Engines.threads reaches the fused kernels, not only BLAS (ND4J's own setMaxThreads changes nothing). */
class EngineThreadsTest {
    @AfterEach
    void launchSetting() {
        Engines.threads(0);
    }

    @Test
    void theThreadSettingIsTheEnginesAndItsKernelsRunOnIt() {
        Nd4jEngine engine = new Nd4jEngine(false, true);
        Engines.threads(1);
        assertEquals(1, Nd4jEngine.threads());
        assertEquals("1", engine.versions().get("engine_threads"));
        Engines.threads(2);
        assertEquals(2, Nd4jEngine.threads());
        assertEquals("2", engine.versions().get("engine_threads"));
        // 8 x 64 positions of d_model 64: above the size from which the kernels take the engine's threads
        ModelConfig c = FusedEngineTest.model(64, 4, Activation.gelu, LayerNormPlacement.pre, PositionalEncoding.none, AttentionMask.causal, 0);
        assertTrue(8L * 40 * 64 >= Nd4jPass.PARALLEL_VALUES, "the batch must be big enough for two threads");
        int[][] tokens = FusedEngineTest.batch(8, 40, c.vocabSize(), 6).inputs();
        Params params = Params.of(WeightInit.initialise(c, 5), org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertEquals(2, new Nd4jPass(c, params, tokens, org.nd4j.linalg.api.buffer.DataType.FLOAT, true, false).threads(), "the pass's kernels on two threads");
        Engines.threads(1);
        assertEquals(1, new Nd4jPass(c, params, tokens, org.nd4j.linalg.api.buffer.DataType.FLOAT, true, false).threads(), "and back on one");
    }
}
