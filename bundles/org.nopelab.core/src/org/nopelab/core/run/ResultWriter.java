package org.nopelab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nopelab.core.io.AtomicFolder;
import org.nopelab.core.io.Csv;
import org.nopelab.core.io.Json;
import org.nopelab.core.io.ModelFile;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.monitor.TrainingPoint;
import org.nopelab.core.train.Trainer;

/**
 * Writes a result folder, the same from the headless launcher and the workbench:
 * <pre>
 * experiment.yaml           the file as the user wrote it
 * experiment.resolved.yaml  every default filled in
 * provenance.json           hashes, seeds, versions, machine
 * metrics.json              scores per state (ResultSummary)
 * matrices/STATE.csv        mean self-similarity matrix per state
 * attention/layerL-headH.csv mean attention matrix per block and head (analysis.attention); -first.csv: the first sequence's
 * curves/*.csv              similarity by distance, variance by position, scores by state
 * figures/STATE.png         heatmaps; figures/scores.png, scores by layer
 * model.safetensors, tokens.csv   the model and inputs, to re-run or cross-check elsewhere
 * </pre>
 * The folder is staged and renamed into place only when complete.
 */
public final class ResultWriter {
    private ResultWriter() {}

    public static Path write(AnalysisResult r, ObjectNode resolved, String sourceText, Path resultsRoot,
            FigureRenderer figures, RunMonitor monitor) throws IOException {
        return writeTo(r, resolved, sourceText, freeName(resultsRoot, r.experiment().name()), AtomicFolder.Conflict.NEXT_FREE, figures, monitor);
    }

    /** The same into a given folder, which must not exist yet (a sweep names its cells' folders itself). */
    public static Path writeTo(AnalysisResult r, ObjectNode resolved, String sourceText, Path target, AtomicFolder.Conflict conflict,
            FigureRenderer figures, RunMonitor monitor) throws IOException {
        try (AtomicFolder folder = new AtomicFolder(target, conflict)) {
            writeInto(folder.dir(), r, resolved, sourceText, figures, monitor);
            return folder.commit();
        }
    }

    /** One subject's files, its provenance included, into an existing folder. */
    static void writeInto(Path dir, AnalysisResult r, ObjectNode resolved, String sourceText, FigureRenderer figures,
            RunMonitor monitor) throws IOException {
        Files.createDirectories(dir.resolve("matrices"));
        Files.createDirectories(dir.resolve("curves"));
        if (sourceText != null) Files.writeString(dir.resolve("experiment.yaml"), sourceText);
        Json.YAML.writeValue(dir.resolve("experiment.resolved.yaml").toFile(), resolved);
        Json.MAPPER.writeValue(dir.resolve("metrics.json").toFile(), summary(r));
        Json.MAPPER.writeValue(dir.resolve(Provenance.FILE).toFile(), Provenance.of(r, resolved));
        for (StateMetrics s : r.states()) Csv.writeMatrix(dir.resolve(s.matrix()), s.meanMatrix());
        if (r.attention() != null) {
            Files.createDirectories(dir.resolve("attention"));
            for (var block : r.attention()) {
                for (var h : block.heads()) {
                    Csv.writeMatrix(dir.resolve(h.matrix()), h.meanMatrix());
                    Csv.writeMatrix(dir.resolve(h.firstSequence()), h.firstMatrix());
                }
            }
        }
        writeCurves(r, dir.resolve("curves"));
        ModelFile.save(dir.resolve("model.safetensors"), r.experiment().model(), r.weights());
        Csv.writeTokens(dir.resolve("tokens.csv"), r.tokens());
        if (r.experiment().analysis().figures()) {
            Files.createDirectories(dir.resolve("figures"));
            for (StateMetrics s : r.states()) {
                if (monitor.isCancelled()) throw new RunCancelledException();
                figures.similarityHeatmap(r.experiment().name() + " - " + s.name(), s.meanMatrix(), dir.resolve(s.figure()));
            }
            figures.scoresByLayer(r.experiment().name() + " - adjacency by layer", r.states(), dir.resolve("figures/scores.png"));
        }
    }

    public static ResultSummary summary(AnalysisResult r) {
        ResultSummary.TrainingSummary training = null;
        if (r.training() != null) {
            var t = r.training();
            org.nopelab.core.train.Task task = org.nopelab.core.train.Task.of(r.experiment().task());
            var last = t.curve().isEmpty() ? null : t.curve().get(t.curve().size() - 1);
            int steps = r.experiment().train().steps();
            training = new ResultSummary.TrainingSummary(r.experiment().task().name(), steps, t.evaluation().token(),
                    t.evaluation().sequence(), last == null ? Double.NaN : last.loss(), t.seconds(),
                    (steps - t.resumedFromStep()) / Math.max(t.seconds(), 1e-9), t.resumedFromStep(), task.holdsOut(), task.evaluationSet(),
                    t.lengths() == null || t.lengths().isEmpty() ? null : t.lengths());
        }
        return new ResultSummary(ResultSummary.FORMAT, r.experiment().name(), r.experiment().description(), r.engine(),
                r.experiment().analysis().similarity().name(), r.tokens()[0].length, r.tokens().length,
                r.seconds(), r.experiment().model().schedule(), training, r.states(), r.attention());
    }

    private static void writeCurves(AnalysisResult r, Path dir) throws IOException {
        if (r.training() != null) {
            var rows = r.training().curve();
            Csv.writeColumns(dir.resolve("training.csv"), List.of("step", "loss", "lr", "grad_norm", "batch_accuracy",
                    "eval_token_accuracy", "eval_sequence_accuracy", "tokens_per_second"), List.of(
                    rows.stream().mapToDouble(TrainingPoint::step).toArray(), rows.stream().mapToDouble(TrainingPoint::loss).toArray(),
                    rows.stream().mapToDouble(TrainingPoint::lr).toArray(), rows.stream().mapToDouble(TrainingPoint::gradNorm).toArray(),
                    rows.stream().mapToDouble(TrainingPoint::batchAccuracy).toArray(), rows.stream().mapToDouble(TrainingPoint::evalTokenAccuracy).toArray(),
                    rows.stream().mapToDouble(TrainingPoint::evalSequenceAccuracy).toArray(), rows.stream().mapToDouble(TrainingPoint::tokensPerSecond).toArray()));
        }
        int n = r.tokens()[0].length;
        List<String> header = new ArrayList<>(List.of("distance"));
        List<double[]> cols = new ArrayList<>();
        cols.add(java.util.stream.IntStream.range(0, n).asDoubleStream().toArray());
        for (StateMetrics s : r.states()) {
            header.add(s.name());
            cols.add(s.similarityByDistance());
        }
        Csv.writeColumns(dir.resolve("similarity-by-distance.csv"), header, cols);

        header = new ArrayList<>(List.of("position"));
        cols = new ArrayList<>();
        cols.add(java.util.stream.IntStream.range(0, n).asDoubleStream().toArray());
        for (StateMetrics s : r.states()) {
            header.add(s.name());
            cols.add(java.util.Arrays.stream(s.variance()).mapToDouble(Estimate::mean).toArray());
        }
        Csv.writeColumns(dir.resolve("variance-by-position.csv"), header, cols);

        header = new ArrayList<>(List.of("state_index", "layer"));
        cols = new ArrayList<>();
        cols.add(java.util.stream.IntStream.range(0, r.states().size()).asDoubleStream().toArray());
        cols.add(r.states().stream().mapToDouble(StateMetrics::layer).toArray());
        for (AdjacencyScore a : r.experiment().analysis().scores()) {
            header.add(a.name());
            cols.add(r.states().stream().mapToDouble(s -> s.scores().get(a).perSequence().mean()).toArray());
            header.add(a.name() + "_chance");
            cols.add(r.states().stream().mapToDouble(s -> s.scores().get(a).chance()).toArray());
        }
        Csv.writeColumns(dir.resolve("scores-by-state.csv"), header, cols);
    }

    /** The time as result, report and benchmark file names carry it: yyyyMMdd-HHmmss. */
    public static String timestamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    /** NAME-yyyyMMdd-HHmmss, with -2, -3... if taken. */
    static Path freeName(Path root, String name) {
        String base = name + "-" + timestamp();
        Path p = root.resolve(base);
        for (int i = 2; Files.exists(p); i++) p = root.resolve(base + "-" + i);
        return p;
    }
}
