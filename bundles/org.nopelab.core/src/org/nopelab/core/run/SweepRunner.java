package org.nopelab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Sweep;
import org.nopelab.core.io.AtomicFolder;
import org.nopelab.core.io.Csv;
import org.nopelab.core.io.Json;
import org.nopelab.core.metrics.Bounds;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.monitor.RunMonitor;

/**
 * Runs a sweep into OUT/NAME-sweep-HASH (HASH: the resolved file's), one complete result folder per cell and
 * seed under cells/CELL/seed-N, each written atomically. The folder name depends only on the file's content,
 * so running the same file again resumes: finished cells are read back, not re-run. sweep.json and sweep.csv
 * aggregate over seeds and are rewritten (atomically) after every cell, so a partial sweep can be inspected.
 */
public final class SweepRunner {
    private SweepRunner() {}

    public static Path run(Experiment e, ObjectNode resolved, String source, Path outDir, FigureRenderer figures,
            RunMonitor monitor) throws IOException {
        long start = System.nanoTime();
        Path dir = prepare(e, resolved, source, outDir);
        List<Sweep.Cell> cells = e.sweep().cells();
        monitor.log("sweep " + e.name() + ": " + cells.size() + " cells x " + e.sweep().seeds().size() + " seeds -> " + dir);
        Map<Path, FinishedRun> read = new java.util.HashMap<>(); // each finished run is read from disk once
        int[] done = {0};
        for (Sweep.Cell c : cells) {
            runCell(e, resolved, dir, c, figures, monitor, done);
            writeSummary(dir, summarise(e, dir, read));
        }
        SweepSummary summary = summarise(e, dir, read);
        writeSummary(dir, summary);
        if (summary.software().size() > 1) monitor.log("sweep " + e.name() + ": its runs were computed by different software: " + String.join("; ", summary.software()));
        // the sweep folder's own provenance: this invocation (each cell and seed folder keeps its own)
        AtomicFolder.writeString(dir.resolve(Provenance.FILE), Json.MAPPER.writeValueAsString(
                Provenance.of(resolved, e.seed(), e.dataSeed(), e.analysis().engine(), (System.nanoTime() - start) / 1e9)));
        return dir;
    }

    /** Creates the sweep's folder with the file it runs (as written and resolved); returns it. */
    public static Path prepare(Experiment e, ObjectNode resolved, String source, Path outDir) throws IOException {
        Path dir = folder(e, resolved, outDir);
        Files.createDirectories(dir);
        AtomicFolder.writeString(dir.resolve("experiment.yaml"), source);
        AtomicFolder.writeString(dir.resolve("experiment.resolved.yaml"), Json.YAML.writeValueAsString(resolved));
        return dir;
    }

    /**
     * Runs every seed of one cell that has no finished folder yet, each into its own atomically written folder:
     * the unit of work of a local sweep and of one cluster array task alike.
     */
    public static void runCell(Experiment e, ObjectNode resolved, Path dir, Sweep.Cell c, FigureRenderer figures, RunMonitor monitor) throws IOException {
        runCell(e, resolved, dir, c, figures, monitor, new int[] {c.index() * e.sweep().seeds().size()});
    }

    private static void runCell(Experiment e, ObjectNode resolved, Path dir, Sweep.Cell c, FigureRenderer figures, RunMonitor monitor, int[] done)
            throws IOException {
        int runs = e.sweep().cells().size() * e.sweep().seeds().size();
        for (long seed : e.sweep().seeds()) {
            Path target = runFolder(dir, c.id(), seed);
            done[0]++;
            if (Files.isDirectory(target)) {
                monitor.log(String.format("[%d/%d] %s seed %d: done before, kept", done[0], runs, c.label(), seed));
                continue;
            }
            if (monitor.isCancelled()) throw new RunCancelledException();
            for (Path stale : AtomicFolder.removeStale(target.getParent(), target.getFileName().toString())) monitor.log("removed " + stale + ", left by a killed run");
            monitor.log(String.format("[%d/%d] %s seed %d", done[0], runs, c.label(), seed));
            ObjectNode tree = Sweep.cellTree(resolved, c, seed);
            tree.put("name", e.name() + "-" + c.id().replace('=', '-') + "-seed" + seed);
            Experiment cell = ExperimentReader.fromResolved(tree);
            // another process running the same sweep may finish this cell first: its folder is as good as ours
            ExperimentRunner.runInto(cell, tree, Json.YAML.writeValueAsString(tree), target, AtomicFolder.Conflict.KEEP_EXISTING, figures, monitor);
        }
    }

    /** True when every seed of the cell has its finished folder. */
    public static boolean isDone(Experiment e, Path dir, Sweep.Cell c) {
        for (long seed : e.sweep().seeds()) if (!Files.isDirectory(runFolder(dir, c.id(), seed))) return false;
        return true;
    }

    /** Rebuilds sweep.json and sweep.csv from the finished folders on disk; returns the summary. */
    public static SweepSummary gather(Experiment e, Path dir) throws IOException {
        SweepSummary s = summarise(e, dir);
        writeSummary(dir, s);
        return s;
    }

    /**
     * The sweep's folder: a function of its name and resolved content only, which is what makes it resumable. The
     * cluster section is left out: how cells are scheduled (partition, time limit) changes no number, so a sweep
     * resubmitted with more time, or run locally, finds the same folder.
     */
    public static Path folder(Experiment e, ObjectNode resolved, Path outDir) {
        ObjectNode numbers = resolved.deepCopy();
        numbers.remove("cluster");
        return outDir.resolve(e.name() + "-sweep-" + Provenance.sha256(numbers).substring(0, 10));
    }

    /** Reads every finished run of the sweep back from its folders and aggregates over seeds. */
    public static SweepSummary summarise(Experiment e, Path dir) throws IOException {
        return summarise(e, dir, new java.util.HashMap<>());
    }

    /** One subject's summary in one finished run. */
    private record SubjectRun(String subject, ResultSummary summary) {}

    /** What a finished run contributes: each subject's summary and the software that computed it. */
    private record FinishedRun(List<SubjectRun> subjects, String software) {}

    /** The same, reading a run folder only if {@code read} does not hold it yet (a sweep summarises after every cell). */
    private static SweepSummary summarise(Experiment e, Path dir, Map<Path, FinishedRun> read) throws IOException {
        List<SweepSummary.Cell> cells = new ArrayList<>();
        java.util.Set<String> software = new java.util.TreeSet<>();
        int runsDone = 0;
        for (Sweep.Cell c : e.sweep().cells()) {
            List<Long> seeds = new ArrayList<>();
            Map<String, List<List<Map<String, Double>>>> rowsBySubject = new LinkedHashMap<>();
            Map<String, Map<String, List<Double>>> trainingBySubject = new LinkedHashMap<>();
            for (long seed : e.sweep().seeds()) {
                Path run = runFolder(dir, c.id(), seed);
                if (!Files.isDirectory(run)) continue;
                seeds.add(seed);
                if (!read.containsKey(run)) read.put(run, readRun(e, run));
                software.add(read.get(run).software());
                for (SubjectRun one : read.get(run).subjects()) {
                    String subject = one.subject();
                    ResultSummary r = one.summary();
                    rowsBySubject.computeIfAbsent(subject, k -> new ArrayList<>()).add(ExperimentRunner.rows(r.states()));
                    if (r.training() != null) {
                        Map<String, List<Double>> t = trainingBySubject.computeIfAbsent(subject, k -> new LinkedHashMap<>());
                        t.computeIfAbsent("token_accuracy", k -> new ArrayList<>()).add(r.training().tokenAccuracy());
                        t.computeIfAbsent("sequence_accuracy", k -> new ArrayList<>()).add(r.training().sequenceAccuracy());
                        t.computeIfAbsent("final_loss", k -> new ArrayList<>()).add(r.training().finalLoss());
                    }
                }
            }
            runsDone += seeds.size();
            Map<String, SweepSummary.Subject> subjects = new LinkedHashMap<>();
            rowsBySubject.forEach((name, perSeed) -> subjects.put(name, new SweepSummary.Subject(aggregate(perSeed),
                    estimates(trainingBySubject.getOrDefault(name, Map.of())))));
            cells.add(new SweepSummary.Cell(c.index(), c.id(), c.values(), seeds, subjects));
        }
        int runs = e.sweep().cells().size() * e.sweep().seeds().size();
        return new SweepSummary(SweepSummary.FORMAT, e.name(), e.sweep().grid(), e.sweep().seeds(), runsDone == runs, runs, runsDone, cells, List.copyOf(software));
    }

    private static FinishedRun readRun(Experiment e, Path run) throws IOException {
        List<SubjectRun> out = new ArrayList<>();
        for (Path subjectDir : ResultFolder.subjects(run)) {
            String subject = subjectDir.equals(run) ? e.subjects().get(0).name() : subjectDir.getFileName().toString();
            out.add(new SubjectRun(subject, ResultFolder.open(subjectDir).summary()));
        }
        Provenance p = Provenance.read(run);
        return new FinishedRun(out, p == null ? "unknown (no provenance.json)" : p.software());
    }

    /** Per layer and metric, the estimate over seeds (each seed contributes its per-sequence mean). */
    private static List<SweepSummary.Layer> aggregate(List<List<Map<String, Double>>> perSeed) {
        List<SweepSummary.Layer> out = new ArrayList<>();
        for (int layer = 0; layer < perSeed.get(0).size(); layer++) {
            Map<String, List<Double>> values = new LinkedHashMap<>();
            for (List<Map<String, Double>> rows : perSeed) {
                if (layer >= rows.size()) continue;
                rows.get(layer).forEach((k, v) -> {
                    if (!k.equals("layer") && v != null && Double.isFinite(v)) values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                });
            }
            out.add(new SweepSummary.Layer(perSeed.get(0).get(layer).get("layer").intValue(), estimates(values)));
        }
        return out;
    }

    private static Map<String, Estimate> estimates(Map<String, List<Double>> values) {
        Map<String, Estimate> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Estimate.of(v.stream().mapToDouble(Double::doubleValue).toArray()).within(Bounds.of(k))));
        return out;
    }

    /** sweep.json, and sweep.csv in long form: one row per cell, subject, layer and metric. */
    static void writeSummary(Path dir, SweepSummary s) throws IOException {
        AtomicFolder.writeString(dir.resolve("sweep.json"), Json.MAPPER.writeValueAsString(s));
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(s.grid().keySet());
        header.addAll(List.of("subject", "layer", "metric", "mean", "ci95_low", "ci95_high", "seeds"));
        List<List<Object>> rows = new ArrayList<>();
        for (SweepSummary.Cell c : s.cells()) {
            for (var subject : c.subjects().entrySet()) {
                for (SweepSummary.Layer l : subject.getValue().layers()) {
                    for (var m : l.metrics().entrySet()) {
                        List<Object> row = new ArrayList<>(List.of(c.id()));
                        for (String k : s.grid().keySet()) row.add(Sweep.text(c.values().get(k)));
                        Estimate v = m.getValue();
                        row.addAll(List.of(subject.getKey(), l.layer(), m.getKey(), v.mean(), v.ci95Low(), v.ci95High(), v.n()));
                        rows.add(row);
                    }
                }
            }
        }
        AtomicFolder.write(dir.resolve("sweep.csv"), tmp -> Csv.writeTable(tmp, header, rows));
    }

    /** True for a sweep's folder (it has sweep.json). */
    public static boolean isSweep(Path dir) {
        return Files.isRegularFile(dir.resolve("sweep.json"));
    }

    public static SweepSummary read(Path dir) throws IOException {
        SweepSummary s = Json.MAPPER.readValue(dir.resolve("sweep.json").toFile(), SweepSummary.class);
        if (!SweepSummary.FORMAT.equals(s.format())) throw new IOException(dir + "/sweep.json has format '" + s.format() + "'; this release reads " + SweepSummary.FORMAT);
        return s;
    }

    /** The result folder of one finished cell and seed (for opening it in the Similarity view). */
    public static Path runFolder(Path dir, String cellId, long seed) {
        return dir.resolve("cells").resolve(cellId).resolve("seed-" + seed);
    }
}
