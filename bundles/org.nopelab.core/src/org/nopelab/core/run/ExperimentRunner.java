package org.nopelab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.Subject;
import org.nopelab.core.io.AtomicFolder;
import org.nopelab.core.io.Json;
import org.nopelab.core.io.RunLock;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.WeightInit;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.train.LengthGeneralisation;
import org.nopelab.core.train.Task;
import org.nopelab.core.train.Trainer;

/**
 * Runs a whole experiment file, headless or from the workbench, into one result folder. A file with the single
 * default subject gives the plain layout of {@link ResultWriter}; with subjects, each subject (initialised from
 * the same seed, trained if asked) gets a full folder under subjects/NAME and comparison.json sets their
 * per-layer scores side by side with the differences to the first subject. Training checkpoints live in
 * OUT/.checkpoints/HASH-SUBJECT until the result is complete, so an interrupted run resumes where it stopped.
 */
public final class ExperimentRunner {
    private ExperimentRunner() {}

    /** Runs into a new folder NAME-DATE-TIME under outDir; a sweep into its own resumable folder (see {@link SweepRunner}). */
    public static Path run(Experiment e, ObjectNode resolved, String source, Path outDir, FigureRenderer figures,
            RunMonitor monitor) throws IOException {
        // a run killed mid-write (kill -9) leaves its staging folder: the next run of the experiment removes it
        for (Path stale : AtomicFolder.removeStale(outDir, e.name() + "-")) monitor.log("removed " + stale + ", left by a run that was killed while writing");
        if (e.isSweep()) return SweepRunner.run(e, resolved, source, outDir, figures, monitor);
        return runInto(e, resolved, source, ResultWriter.freeName(outDir, e.name()), AtomicFolder.Conflict.NEXT_FREE, figures, monitor);
    }

    /**
     * Runs one experiment (no sweep) into the given folder, which appears complete or not at all; {@code conflict}
     * says what happens when another process completes the same folder first.
     */
    static Path runInto(Experiment e, ObjectNode resolved, String source, Path target, AtomicFolder.Conflict conflict, FigureRenderer figures,
            RunMonitor monitor) throws IOException {
        if (!e.hasSubjects()) {
            AnalysisResult r = Analysis.run(e, monitor);
            monitor.log(String.format("analysed in %.1fs on engine %s; writing results and figures", r.seconds(), r.engine()));
            return ResultWriter.writeTo(r, resolved, source, target, conflict, figures, monitor);
        }
        Path outDir = target.getParent();
        String hash = Provenance.sha256(resolved);
        // two runs training the same experiment into one folder would share its checkpoints: the second refuses
        // before any work (the OS drops the lock if this process dies)
        try (RunLock lock = e.subjects().stream().anyMatch(Subject::isTrained)
                ? RunLock.acquire(outDir.resolve(".checkpoints").resolve(hash.substring(0, 16) + ".lock"), "training " + e.name() + " into " + outDir)
                : null) {
            return runSubjects(e, resolved, source, target, conflict, figures, monitor, outDir, hash);
        }
    }

    private static Path runSubjects(Experiment e, ObjectNode resolved, String source, Path target, AtomicFolder.Conflict conflict, FigureRenderer figures,
            RunMonitor monitor, Path outDir, String hash) throws IOException {
        List<AnalysisResult> results = new ArrayList<>();
        List<Path> checkpointDirs = new ArrayList<>();
        // subjects that differ only in their analysed inputs share one training: same model, seed, task and
        // training give the same weights, so the second would repeat the first step for step
        Map<ModelConfig, Map.Entry<String, Trainer.Outcome>> trainedModels = new HashMap<>();
        for (Subject s : e.subjects()) {
            Experiment one = e.forSubject(s);
            ModelWeights weights = WeightInit.initialise(one.model(), e.seed());
            Trainer.Outcome training = null;
            var shared = s.isTrained() ? trainedModels.get(one.model()) : null;
            if (shared != null) {
                training = shared.getValue();
                weights = training.weights();
                monitor.log("subject " + s.name() + ": the weights subject " + shared.getKey() + " trained (same model, task and training)");
            } else if (s.isTrained()) {
                Path checkpoints = outDir.resolve(".checkpoints").resolve(hash.substring(0, 16) + "-" + s.name());
                checkpointDirs.add(checkpoints);
                monitor.log("subject " + s.name() + ": training on " + e.task().name());
                Task task = Task.of(e.task());
                training = Trainer.train(one.model(), weights, task, e.train(), e.dataSeed(), checkpoints, hash, monitor);
                weights = training.weights();
                monitor.log(String.format("subject %s: trained in %.1fs, %s %.4f (sequences %.4f); evaluation %s", s.name(),
                        training.seconds(), Task.accuracyName(task.holdsOut()), training.evaluation().token(),
                        training.evaluation().sequence(), task.evaluationSet()));
                training = training.withLengths(LengthGeneralisation.measure(one.model(), weights, e.task(), e.train(), e.dataSeed()));
                if (!training.lengths().isEmpty()) monitor.log("subject " + s.name() + ": length generalisation " + LengthGeneralisation.describe(training.lengths()));
                trainedModels.put(one.model(), Map.entry(s.name(), training));
            }
            monitor.log("subject " + s.name() + ": analysing");
            results.add(Analysis.run(one, weights, monitor).withTraining(training));
        }
        Path done;
        try (AtomicFolder folder = new AtomicFolder(target, conflict)) {
            Path dir = folder.dir();
            Files.writeString(dir.resolve("experiment.yaml"), source);
            Json.YAML.writeValue(dir.resolve("experiment.resolved.yaml").toFile(), resolved);
            double seconds = results.stream().mapToDouble(r -> r.seconds() + (r.training() == null ? 0 : r.training().seconds())).sum();
            Json.MAPPER.writeValue(dir.resolve(Provenance.FILE).toFile(), Provenance.of(resolved, e.seed(), e.dataSeed(), results.get(0).engine(), seconds));
            for (AnalysisResult r : results) {
                String name = r.experiment().subjects().get(0).name();
                ResultWriter.writeInto(dir.resolve("subjects").resolve(name), r, resolved, null, figures, monitor);
            }
            Json.MAPPER.writeValue(dir.resolve("comparison.json").toFile(), compare(results));
            done = folder.commit();
        }
        for (Path p : checkpointDirs) AtomicFolder.deleteTree(p);
        return done;
    }

    /** comparison.json: per subject and layer, the headline numbers; then each subject minus the first. */
    static Map<String, Object> compare(List<AnalysisResult> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", "nopelab/comparison/1");
        Map<String, Object> subjects = new LinkedHashMap<>();
        for (AnalysisResult r : results) subjects.put(r.experiment().subjects().get(0).name(), rows(r));
        out.put("subjects", subjects);
        String base = results.get(0).experiment().subjects().get(0).name();
        Map<String, Object> diffs = new LinkedHashMap<>();
        List<Map<String, Double>> baseRows = rows(results.get(0));
        for (AnalysisResult r : results.subList(1, results.size())) {
            List<Map<String, Double>> rows = rows(r), d = new ArrayList<>();
            for (int i = 0; i < Math.min(rows.size(), baseRows.size()); i++) {
                Map<String, Double> row = new LinkedHashMap<>();
                for (var k : rows.get(i).entrySet()) {
                    Double b = baseRows.get(i).get(k.getKey());
                    row.put(k.getKey(), k.getKey().equals("layer") ? k.getValue() : b == null || k.getValue() == null ? null : k.getValue() - b);
                }
                d.add(row);
            }
            diffs.put(r.experiment().subjects().get(0).name() + " - " + base, d);
        }
        out.put("differences", diffs);
        return out;
    }

    private static List<Map<String, Double>> rows(AnalysisResult r) {
        return rows(r.states());
    }

    /**
     * Per layer (residual stream states only): every score's per-sequence mean, ap_nn's chance, probe R^2 and MAE
     * (absolute and relative), order recovery's |tau| and its chance: the numbers a sweep turns into curves.
     */
    static List<Map<String, Double>> rows(List<StateMetrics> states) {
        List<Map<String, Double>> rows = new ArrayList<>();
        for (StateMetrics s : states) {
            if (!s.name().equals("layer" + s.layer())) continue; // residual stream only
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("layer", (double) s.layer());
            for (var e : s.scores().entrySet()) row.put(e.getKey().name(), e.getValue().perSequence().mean());
            if (s.scores().containsKey(AdjacencyScore.ap_nn)) row.put("ap_nn_chance", s.scores().get(AdjacencyScore.ap_nn).chance());
            if (s.probes() != null) {
                for (var p : s.probes().entrySet()) {
                    row.put("probe_" + p.getKey().name() + "_r2", p.getValue().r2());
                    row.put("probe_" + p.getKey().name() + "_mae", p.getValue().mae());
                }
            }
            if (s.relativeProbe() != null) {
                row.put("probe_relative_r2", s.relativeProbe().r2());
                row.put("probe_relative_mae", s.relativeProbe().mae());
            }
            if (s.order() != null) {
                row.put("order_tau", s.order().tau().mean());
                row.put("order_tau_chance", s.order().chance().tau());
            }
            rows.add(row);
        }
        return rows;
    }

}
