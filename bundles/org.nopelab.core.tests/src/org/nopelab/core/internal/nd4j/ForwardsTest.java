package org.nopelab.core.internal.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nopelab.core.engine.Capture;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.WeightInit;

/** Passes through a Forwards (parameters uploaded once) are the engine's one-off passes, pass after pass. */
class ForwardsTest {
    @AfterEach
    void launchSetting() {
        Engines.threads(0);
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void heldParametersGiveTheOneOffPassesStatesPassAfterPass(int threads) {
        Engines.threads(threads);
        ModelConfig c = FusedEngineTest.model(32, 2, Activation.gelu, LayerNormPlacement.pre, PositionalEncoding.learned, AttentionMask.causal, 0);
        ModelWeights w = WeightInit.initialise(c, 4);
        Nd4jEngine engine = new Nd4jEngine(false, true);
        TransformerEngine.Forwards forwards = engine.forwards(c, w);
        for (long seed = 1; seed <= 3; seed++) { // a new batch each time, as an analysis's batches
            int[][] tokens = FusedEngineTest.batch(5, 12, c.vocabSize(), seed).inputs();
            Capture once = Capture.allStates(), held = Capture.allStates();
            engine.forward(c, w, tokens, once, () -> {});
            forwards.forward(tokens, held, () -> {});
            assertEquals(once.captured().all().keySet(), held.captured().all().keySet());
            for (String n : once.captured().all().keySet()) {
                assertArrayEquals(once.captured().get(n).data(), held.captured().get(n).data(), 0f, n + ", batch " + seed);
            }
        }
        forwards.close();
        int[][] tokens = FusedEngineTest.batch(5, 12, c.vocabSize(), 9).inputs();
        assertThrows(IllegalStateException.class, () -> forwards.forward(tokens, Capture.allStates(), () -> {}), "closed: its parameters are gone");
    }
}
