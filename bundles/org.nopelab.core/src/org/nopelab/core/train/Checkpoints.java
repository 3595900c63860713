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
import org.nopelab.core.monitor.TrainingPoint;

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

    public record Checkpoint(int step, ModelWeights weights, Map<String, Tensor> adam, List<TrainingPoint> curve, Path file) {}

    static Path save(Path dir, int step, String experimentHash, ModelWeights w, Map<String, Tensor> optimizerState, List<TrainingPoint> curve) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> all = new LinkedHashMap<>(w.all());
        all.putAll(optimizerState);
        Path file = dir.resolve(String.format("step-%08d.safetensors", step));
        Map<String, String> metadata = Map.of("format", FORMAT, "step", Integer.toString(step), "experiment_sha256", experimentHash,
                "software", Software.current(), "curve", Json.MAPPER.writeValueAsString(curve), CHECKSUM, checksum(all));
        AtomicFolder.write(file, tmp -> Safetensors.write(tmp, all, metadata));
        List<Path> old = list(dir);
        for (int i = 0; i < old.size() - KEEP; i++) Files.deleteIfExists(old.get(i));
        return file;
    }

    static final String CHECKSUM = "tensors_sha256";

    /** SHA-256 over every tensor's name, shape and float32 bits, in name order. */
    static String checksum(Map<String, Tensor> tensors) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (var e : new java.util.TreeMap<>(tensors).entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * e.getValue().shape().length + 4 * e.getValue().data().length);
                for (long d : e.getValue().shape()) b.putLong(d);
                for (float f : e.getValue().data()) b.putFloat(f);
                md.update(b.array());
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The newest intact checkpoint of this experiment, written by this software, in dir, if any. A damaged one
     * (truncated, flipped bytes: its checksum disagrees) is passed over with a warning for the one before; when
     * checkpoints of this experiment exist but none is intact, training refuses rather than start over silently.
     */
    static Optional<Checkpoint> latest(Path dir, String experimentHash, ModelWeights expected, java.util.function.Consumer<String> warn) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) return Optional.empty();
        List<Path> files = list(dir);
        List<String> damaged = new java.util.ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path f = files.get(i);
            Safetensors.Contents c;
            try {
                c = Safetensors.read(f);
            } catch (IOException | RuntimeException e) {
                damaged.add(f.getFileName() + " (" + e.getMessage() + ")");
                warn.accept("checkpoint " + f + " cannot be read (" + e.getMessage() + "); trying the one before");
                continue;
            }
            // only this experiment's checkpoints, written by this software: another build may not continue it bit for bit
            if (!FORMAT.equals(c.metadata().get("format")) || !experimentHash.equals(c.metadata().get("experiment_sha256"))
                    || !Software.current().equals(c.metadata().get("software"))) continue;
            String why = !checksum(c.tensors()).equals(c.metadata().get(CHECKSUM)) ? "its tensors do not match their checksum (damaged on disk?)"
                    : shapesDiffer(c.tensors(), expected);
            if (why != null) {
                damaged.add(f.getFileName() + " (" + why + ")");
                warn.accept("checkpoint " + f + ": " + why + "; trying the one before");
                continue;
            }
            ModelWeights w = new ModelWeights();
            Map<String, Tensor> adam = new LinkedHashMap<>();
            c.tensors().forEach((name, t) -> {
                if (name.startsWith("adam.")) adam.put(name, t);
                else w.put(name, t);
            });
            List<TrainingPoint> curve;
            try {
                curve = Json.MAPPER.readValue(c.metadata().get("curve"), new TypeReference<List<TrainingPoint>>() {});
                return Optional.of(new Checkpoint(Integer.parseInt(c.metadata().get("step")), w, adam, curve, f));
            } catch (IOException | RuntimeException e) {
                damaged.add(f.getFileName() + " (its metadata cannot be read)");
            }
        }
        if (!damaged.isEmpty()) {
            throw new IOException("no intact checkpoint of this experiment in " + dir + ": " + String.join("; ", damaged)
                    + ". Delete the folder to train from the start");
        }
        return Optional.empty();
    }

    /** Why a checkpoint's weights do not fit the model being trained, or null. */
    private static String shapesDiffer(Map<String, Tensor> tensors, ModelWeights expected) {
        for (var e : expected.all().entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) return "it has no tensor '" + e.getKey() + "'";
            if (!java.util.Arrays.equals(t.shape(), e.getValue().shape())) return "tensor '" + e.getKey() + "' has another shape than the model's";
        }
        return null;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{8}\\.safetensors")).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
