package org.nopelab.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.io.Csv;
import org.nopelab.core.io.ModelFile;
import org.nopelab.core.io.Safetensors;
import org.nopelab.core.model.Tensor;

/**
 * Cross-framework check: models built, initialised and run by PyTorch (pytorch/reference.py, fixtures
 * committed) load through the documented safetensors layout, and both engines reproduce every hidden state.
 */
class PyTorchReferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"pre-gelu-causal", "post-relu-learned", "none-silu-bidirectional", "rope-partial-causal", "alibi-3heads", "window-nope", "hybrid-command-a"})
    void enginesReproducePyTorchHiddenStates(String name) throws IOException {
        Path dir = Path.of("fixtures"); // tycho-surefire runs in this bundle's folder
        ModelFile.Loaded model = ModelFile.load(dir.resolve(name + ".model.safetensors"));
        int[][] tokens = Csv.readTokens(dir.resolve(name + ".tokens.csv"));
        Map<String, Tensor> expected = Safetensors.read(dir.resolve(name + ".states.safetensors")).tensors();
        for (TransformerEngine engine : new TransformerEngine[] {Engines.byName("nd4j"), Engines.byName("nd4j-float64"), Engines.byName("reference")}) {
            HiddenStates actual = engine.forward(model.config(), model.weights(), tokens);
            assertEquals(expected.keySet(), actual.all().keySet(), engine.name());
            for (var e : expected.entrySet()) {
                Tensor want = e.getValue(), got = actual.get(e.getKey());
                assertArrayEquals(want.shape(), got.shape(), e.getKey());
                double scale = 1, worst = 0;
                for (float v : want.data()) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < want.data().length; i++) worst = Math.max(worst, Math.abs(want.data()[i] - got.data()[i]));
                assertTrue(worst <= 1e-5 * scale, engine.name() + " " + name + " " + e.getKey() + ": max |diff| = " + worst);
            }
        }
    }
}
