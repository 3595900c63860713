package org.nopelab.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nopelab.charts.ChartFiles;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.io.Json;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.reproduce.Claims;
import org.nopelab.core.reproduce.Verdict;
import org.nopelab.core.run.ExperimentRunner;
import org.nopelab.core.run.Provenance;
import org.nopelab.core.theory.TheoryCheck;

/**
 * nopelab reproduce: runs every experiment of examples/paper (one per claim of paper-spec §6), the built-in
 * theory checks, and writes a report. Runs live in OUT/reproduction[-quick]/runs and are reused when an
 * identical experiment finished before (sweeps resume cell by cell), so an interrupted reproduction continues.
 * --quick shrinks every experiment (64 sequences, 150 training steps, 2 seeds) for a smoke test.
 */
final class Reproduction {
    record Timing(String experiment, double seconds, boolean reused) {}

    private final Path examples, root;
    private final boolean quick;
    private final RunMonitor monitor;

    Reproduction(Path examples, Path out, boolean quick, RunMonitor monitor) {
        this.examples = examples;
        this.root = out.resolve(quick ? "reproduction-quick" : "reproduction");
        this.quick = quick;
        this.monitor = monitor;
    }

    Path run() throws IOException {
        long start = System.nanoTime();
        List<Path> files;
        try (Stream<Path> s = Files.list(examples)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException(examples + " holds no experiment files (*.yaml)");
        Map<String, ExperimentReader.Result> read = new LinkedHashMap<>();
        for (Path f : files) { // every file is checked before anything runs
            ExperimentReader.Result r = ExperimentReader.read(f);
            if (!r.ok()) throw new IllegalArgumentException(String.join("\n", r.problems().stream().map(p -> p.format(f.toString())).toList()));
            read.put(stem(f), r);
        }
        Path runs = root.resolve("runs");
        Files.createDirectories(runs);
        Map<String, Path> results = new LinkedHashMap<>();
        List<Timing> timings = new ArrayList<>();
        for (var e : read.entrySet()) {
            long t0 = System.nanoTime();
            ObjectNode tree = quick ? shrink(e.getValue().resolved()) : e.getValue().resolved();
            Experiment experiment = quick ? ExperimentReader.fromResolved(tree) : e.getValue().experiment();
            Path done = experiment.isSweep() ? null : finished(runs, tree, e.getKey());
            boolean reused = done != null;
            monitor.log("== " + e.getKey() + (reused ? ": finished before, reused " + done.getFileName() : ""));
            if (!reused) {
                String source = quick ? "# quick mode of " + e.getKey() + ".yaml\n" + Json.YAML.writeValueAsString(tree)
                        : Files.readString(examples.resolve(e.getKey() + ".yaml"));
                done = ExperimentRunner.run(experiment, tree, source, runs, ChartFiles.pngRenderer(), monitor);
            }
            results.put(e.getKey(), done);
            timings.add(new Timing(e.getKey(), (System.nanoTime() - t0) / 1e9, reused));
        }
        long t0 = System.nanoTime();
        int sequences = quick ? 128 : 1024;
        monitor.log("== theory checks: T1 and K in their exact regimes, " + sequences + " sequences each");
        List<TheoryCheck.Outcome> checks = new ArrayList<>();
        checks.add(TheoryCheck.t1(Engines.byName("nd4j"), 256, 30, sequences, 11));
        for (double alpha : new double[] {0.0, 0.3, 0.6}) checks.add(TheoryCheck.k(Engines.byName("nd4j"), 256, 30, alpha, sequences, 11));
        timings.add(new Timing("theory checks", (System.nanoTime() - t0) / 1e9, false));
        List<Verdict> verdicts = Claims.all(results, checks);
        Path report = new Report(examples, root, quick).write(verdicts, results, timings, (System.nanoTime() - start) / 1e9);
        for (Verdict v : verdicts) monitor.log(String.format("claim %-2s %-8s %s", v.id(), v.status(), v.summary()));
        return report;
    }

    /**
     * A run folder under runs/ computed from this resolved experiment by this software, if one finished before.
     * One of the same experiment from other software is not reused (it is re-run; the old folder stays).
     */
    private Path finished(Path runs, ObjectNode tree, String name) throws IOException {
        String hash = Provenance.sha256(tree);
        try (Stream<Path> s = Files.list(runs)) {
            for (Path d : s.filter(Files::isDirectory).sorted().toList()) {
                Provenance p = Provenance.read(d);
                if (p == null || !hash.equals(p.experimentSha256())) continue;
                if (p.reusableFor(hash)) return d;
                monitor.log("== " + name + ": " + d.getFileName() + " was computed by " + p.software() + ", not " + Provenance.currentSoftware() + "; running it again");
            }
        }
        return null;
    }

    /** The quick mode's smaller copy of an experiment: fewer sequences, training steps and seeds; same grid. */
    static ObjectNode shrink(ObjectNode resolved) {
        ObjectNode t = resolved.deepCopy();
        ObjectNode input = (ObjectNode) t.get("input");
        input.put("samples", Math.min(64, input.path("samples").asInt()));
        ObjectNode train = (ObjectNode) t.get("train");
        if (train != null) {
            int steps = Math.min(150, train.path("steps").asInt());
            train.put("steps", steps);
            train.put("warmup", Math.min(train.path("warmup").asInt(), steps / 10));
            train.put("eval_interval", Math.min(train.path("eval_interval").asInt(), 50));
            train.put("eval_samples", Math.min(train.path("eval_samples").asInt(), 256));
            train.put("checkpoint_interval", Math.min(train.path("checkpoint_interval").asInt(), 100));
        }
        if (t.get("sweep") instanceof ObjectNode sweep && sweep.get("seeds") instanceof ArrayNode seeds && seeds.size() > 2) {
            ArrayNode two = sweep.putArray("seeds");
            two.add(seeds.get(0));
            two.add(seeds.get(1));
        }
        t.put("name", t.path("name").asText() + "-quick");
        return t;
    }

    static String stem(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - ".yaml".length());
    }
}
