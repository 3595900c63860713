package org.nopelab.core.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.nopelab.core.io.ModelFile;
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

/** A model file is checked against its own architecture before it runs: each fault named with its tensor. */
class ModelCheckTest {
    static final Path FILE = Path.of("m.safetensors");

    static ModelConfig config(int heads, int d, PositionalEncoding pe) {
        return new ModelConfig(16, d, heads, 1, 32, Activation.gelu, LayerNormPlacement.pre, true, 0, pe, AttentionMask.causal, 8,
                new InitConfig(InitScheme.normal, 0.02, 1.0));
    }

    private static String refused(ModelConfig c, ModelWeights w) {
        return assertThrows(IllegalArgumentException.class, () -> ModelCheck.check(FILE, new ModelFile.Loaded(c, w))).getMessage();
    }

    @Test
    void aModelOfItsOwnArchitecturePasses() {
        ModelConfig c = config(2, 16, PositionalEncoding.learned);
        ModelCheck.check(FILE, new ModelFile.Loaded(c, WeightInit.initialise(c, 1)));
    }

    @Test
    void architectureShapesAndValuesAreChecked() {
        ModelConfig good = config(2, 16, PositionalEncoding.none);
        ModelWeights w = WeightInit.initialise(good, 1);
        String m = refused(config(0, 16, PositionalEncoding.none), w);
        assertTrue(m.contains("its architecture (metadata 'nopelab.model') is not valid: model.heads: 0 is out of range"), m);
        m = refused(config(2, 32, PositionalEncoding.none), w);
        assertTrue(m.contains("tensor 'embed.weight' has shape [16, 16], the architecture needs [16, 32]"), m);
        ModelWeights missing = new ModelWeights();
        w.all().forEach((name, t) -> { if (!name.equals("blocks.0.attn.q.bias")) missing.put(name, t); });
        assertTrue(refused(good, missing).contains("tensor 'blocks.0.attn.q.bias' is missing"));
        ModelWeights extra = w.copy();
        extra.put("pos_embed.weight", Tensor.zeros(8, 16));
        assertTrue(refused(good, extra).contains("tensor 'pos_embed.weight' is not part of this architecture"));
        ModelWeights nan = w.copy();
        nan.get("blocks.0.mlp.fc1.weight").data()[7] = Float.NaN;
        nan.get("blocks.0.mlp.fc1.weight").data()[9] = Float.POSITIVE_INFINITY;
        m = refused(good, nan);
        assertTrue(m.contains("tensor 'blocks.0.mlp.fc1.weight' holds 2 NaN or infinite values (the first at element 7)"), m);
    }

    @Test
    void tokensMustFitTheModel() {
        ModelConfig learned = config(2, 16, PositionalEncoding.learned);
        String m = assertThrows(IllegalArgumentException.class, () -> ModelCheck.checkTokens(new int[][] {new int[9]}, learned, Path.of("t.csv"))).getMessage();
        assertTrue(m.contains("sequences of 9 tokens are longer than the 8 positions"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ModelCheck.checkTokens(new int[][] {{1, 16}}, learned, Path.of("t.csv"))).getMessage();
        assertTrue(m.contains("sequence 1 has token 16, outside the vocabulary 0..15"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ModelCheck.checkTokens(new int[0][], learned, Path.of("t.csv"))).getMessage();
        assertTrue(m.endsWith("holds no tokens"), m);
    }
}
