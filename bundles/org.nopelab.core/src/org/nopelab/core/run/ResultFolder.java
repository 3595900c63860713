package org.nopelab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.nopelab.core.io.Csv;
import org.nopelab.core.io.Json;

/** A result folder opened for reading, e.g. by the workbench; matrices load on first use. */
public final class ResultFolder {
    private final Path dir;
    private final ResultSummary summary;
    private final Map<String, double[][]> matrices = new HashMap<>();

    private ResultFolder(Path dir, ResultSummary summary) {
        this.dir = dir;
        this.summary = summary;
    }

    /** A single-subject result (metrics.json) or a paired one (comparison.json + subjects/). */
    public static boolean isResult(Path dir) {
        return Files.isRegularFile(dir.resolve("metrics.json")) || Files.isRegularFile(dir.resolve("comparison.json"));
    }

    /** The single-subject folders of a result: subjects/NAME in order for a paired result, else the folder itself. */
    public static List<Path> subjects(Path dir) throws IOException {
        Path subjects = dir.resolve("subjects");
        if (!Files.isDirectory(subjects)) return List.of(dir);
        try (Stream<Path> s = Files.list(subjects)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("metrics.json"))).sorted().toList();
        }
    }

    public static ResultFolder open(Path dir) throws IOException {
        Path metrics = dir.resolve("metrics.json");
        if (!Files.isRegularFile(metrics)) throw new IOException(dir + " is not a NoPE Lab result folder: it has no metrics.json");
        ResultSummary s = Json.MAPPER.readValue(metrics.toFile(), ResultSummary.class);
        if (!ResultSummary.FORMAT.equals(s.format())) throw new IOException(metrics + " has format '" + s.format() + "'; this release reads " + ResultSummary.FORMAT);
        return new ResultFolder(dir, s);
    }

    public Path dir() {
        return dir;
    }

    public ResultSummary summary() {
        return summary;
    }

    /** The training curve (curves/training.csv) of a trained subject; empty for a random-init one. */
    public Map<String, double[]> trainingCurve() throws IOException {
        Path f = dir.resolve("curves/training.csv");
        return Files.isRegularFile(f) ? Csv.readColumns(f) : Map.of();
    }

    /** The state of this result with the given name (layer1, layer2.attn, ...), if it has one. */
    public java.util.Optional<StateMetrics> state(String name) {
        return summary.states().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** One head's mean attention matrix (analysis.attention), or with firstSequence that of the first analysed sequence, read from its CSV. */
    public double[][] attentionMatrix(org.nopelab.core.metrics.AttentionStats.Head head, boolean firstSequence) throws IOException {
        return Csv.readMatrix(dir.resolve(firstSequence ? head.firstSequence() : head.matrix()));
    }

    public synchronized double[][] matrix(StateMetrics state) throws IOException {
        double[][] m = matrices.get(state.name());
        if (m == null) {
            m = Csv.readMatrix(dir.resolve(state.matrix()));
            matrices.put(state.name(), m);
        }
        return m;
    }
}
