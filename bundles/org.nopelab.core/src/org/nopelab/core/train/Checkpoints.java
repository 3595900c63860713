package org.nopelab.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;

import org.nopelab.core.io.AtomicFolder;
import org.nopelab.core.io.Json;
import org.nopelab.core.io.Safetensors;
import org.nopelab.core.io.Software;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/**
 * Training checkpoints: step-NNNNNNNN.safetensors holding the weights (same names as model files), the Adam
 * moments ("adam.m.*", "adam.v.*") and, in the metadata, the step, the experiment hash, the software that wrote it
 * and the curve so far. Training resumes only from a checkpoint of the same experiment and software.
 * Written to a temp file and renamed; the two newest are kept.
 */
public final class Checkpoints {
    static final String FORMAT = "nopelab/checkpoint/1";
    private static final int KEEP = 2;

    private Checkpoints() {}

    public record Checkpoint(int step, ModelWeights weights, Map<String, Tensor> adam, List<Trainer.Row> curve, Path file) {}

    static Path save(Path dir, int step, String experimentHash, ModelWeights w, Adam adam, List<Trainer.Row> curve) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> all = new LinkedHashMap<>(w.all());
        all.putAll(adam.state(w));
        Path file = dir.resolve(String.format("step-%08d.safetensors", step));
        Map<String, String> metadata = Map.of("format", FORMAT, "step", Integer.toString(step), "experiment_sha256", experimentHash,
                "software", Software.current(), "curve", Json.MAPPER.writeValueAsString(curve));
        AtomicFolder.write(file, tmp -> Safetensors.write(tmp, all, metadata));
        List<Path> old = list(dir);
        for (int i = 0; i < old.size() - KEEP; i++) Files.deleteIfExists(old.get(i));
        return file;
    }

    /** The newest checkpoint of this experiment in dir, if any. */
    static Optional<Checkpoint> latest(Path dir, String experimentHash) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) return Optional.empty();
        List<Path> files = list(dir);
        for (int i = files.size() - 1; i >= 0; i--) {
            Safetensors.Contents c = Safetensors.read(files.get(i));
            // only this experiment's checkpoints, written by this software: another build may not continue it bit for bit
            if (!FORMAT.equals(c.metadata().get("format")) || !experimentHash.equals(c.metadata().get("experiment_sha256"))
                    || !Software.current().equals(c.metadata().get("software"))) continue;
            ModelWeights w = new ModelWeights();
            Map<String, Tensor> adam = new LinkedHashMap<>();
            c.tensors().forEach((name, t) -> {
                if (name.startsWith("adam.")) adam.put(name, t);
                else w.put(name, t);
            });
            List<Trainer.Row> curve = Json.MAPPER.readValue(c.metadata().get("curve"), new TypeReference<List<Trainer.Row>>() {});
            return Optional.of(new Checkpoint(Integer.parseInt(c.metadata().get("step")), w, adam, curve, files.get(i)));
        }
        return Optional.empty();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{8}\\.safetensors")).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
