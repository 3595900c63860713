package org.nopelab.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;

/**
 * A model as one safetensors file: the tensors in PyTorch layout plus the architecture in the metadata
 * ("nopelab.model" = the model section as JSON), so the file alone is enough to rebuild the model.
 */
public final class ModelFile {
    public static final String CONFIG_KEY = "nopelab.model";
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT = "nopelab/model/1";
    /** Every block's scheme in words ("input none; blocks rope, rope, rope, none"): for a reader of the file, not read back. */
    public static final String SCHEDULE_KEY = "nopelab.schedule";

    private ModelFile() {}

    public record Loaded(ModelConfig config, ModelWeights weights) {}

    public static void save(Path file, ModelConfig config, ModelWeights weights) throws IOException {
        Safetensors.write(file, weights.all(), Map.of(FORMAT_KEY, FORMAT, CONFIG_KEY, Json.MAPPER.writeValueAsString(config),
                SCHEDULE_KEY, config.schedule()));
    }

    public static Loaded load(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        String json = c.metadata().get(CONFIG_KEY);
        if (json == null) throw new IOException(file + " has no '" + CONFIG_KEY + "' metadata: it was not written by NoPE Lab, so its architecture is unknown");
        ModelConfig config = Json.MAPPER.readValue(json, ModelConfig.class);
        ModelWeights w = new ModelWeights();
        c.tensors().forEach(w::put);
        return new Loaded(config, w);
    }
}
