package org.nopelab.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.nopelab.charts.ChartFiles;
import org.nopelab.core.engine.Capture;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.ExperimentSchema;
import org.nopelab.core.experiment.Problem;
import org.nopelab.core.io.Csv;
import org.nopelab.core.io.Json;
import org.nopelab.core.io.ModelFile;
import org.nopelab.core.io.Npy;
import org.nopelab.core.io.OutputFolder;
import org.nopelab.core.io.Safetensors;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.probe.PositionProbe;
import org.nopelab.core.run.ExperimentRunner;
import org.nopelab.core.run.MemoryEstimate;
import org.nopelab.core.run.ModelCheck;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.ResultSummary;
import org.nopelab.core.run.ResultWriter;
import org.nopelab.core.run.ScoreResult;
import org.nopelab.core.run.StateMetrics;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.core.run.SweepSummary;
import org.nopelab.core.train.TrainingDivergedException;

/**
 * The headless entry point (application id org.nopelab.app.headless), driven by the ./nopelab script.
 * Exit codes: 0 done, 1 the run failed, 2 bad input (usage, invalid experiment, unreadable file), 3 a sweep gathered
 * with cells missing, 130 cancelled.
 */
public final class HeadlessApplication implements IApplication {
    static final int OK = 0, FAILED = 1, BAD_INPUT = 2, CANCELLED = 130;
    static final String USAGE = """
            usage: nopelab run EXPERIMENT.yaml [--out DIR]   analyse, write a result folder under DIR (default ./results)
                   nopelab validate EXPERIMENT.yaml...      report every problem with line and column
                   nopelab hidden-states --model MODEL.safetensors --tokens TOKENS.csv|.npy --out FILE.safetensors|DIR [--format safetensors|npy] [--attention]
                                                             every hidden state of a saved model on given tokens
                   nopelab schema                           print the experiment schema (JSON Schema 2020-12)
                   nopelab version                          NoPE Lab, ND4J, the BLAS and the kernels it runs on this CPU, Java
                   nopelab reproduce [--quick] [--examples DIR] [--out DIR]
                                                             run examples/paper (one experiment per claim) and write a report
                   nopelab bench [--sizes A,B] [--repeats N] [--threads N] [--table FILE.md] [--profile]
                                                             engine vs PyTorch on this CPU (./nopelab bench from a checkout)
            """ + SweepCommands.USAGE;

    private final PrintStream out, err;

    public HeadlessApplication() {
        this(System.out, System.err);
    }

    HeadlessApplication(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        return execute(args == null ? new String[0] : args);
    }

    int execute(String[] args) {
        if (args.length == 0) return usage("no command given");
        try {
            return dispatch(args);
        } catch (IOException | IllegalArgumentException e) {
            err.println("nopelab: " + e.getMessage());
            return BAD_INPUT;
        } catch (Throwable e) { // anything else is our failure, never a success: one line here, the stack in a log
            return Failures.report(e, args, err);
        }
    }

    private int dispatch(String[] args) throws IOException {
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "run" -> run(rest);
            case "validate" -> validate(rest);
            case "hidden-states" -> hiddenStates(rest);
            case "sweep" -> new SweepCommands(this, out).run(rest);
            case "bench" -> bench(rest);
            case "reproduce" -> reproduce(rest);
            case "schema" -> {
                out.println(Json.MAPPER.writeValueAsString(ExperimentSchema.root()));
                yield OK;
            }
            case "version", "--version" -> {
                version();
                yield OK;
            }
            case "help", "--help", "-h" -> {
                out.println(USAGE);
                yield OK;
            }
            default -> usage("unknown command '" + args[0] + "'");
        };
    }

    /** What a result's provenance.json records of the software, for this process: the same engine question. */
    private void version() {
        Map<String, String> v = org.nopelab.core.engines.Engines.standard().versions();
        out.println("NoPE Lab " + org.nopelab.core.io.Software.nopelab());
        out.println("ND4J " + v.get("nd4j") + " (" + v.get("backend") + "; " + v.get("engine_threads") + " engine thread(s), " + v.get("blas_threads") + " BLAS)");
        out.println("BLAS kernels " + v.get("blas_core"));
        out.println("fused kernels " + v.get("kernels"));
        out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")");
    }

    private int run(List<String> args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> files = options(args, opts, "--out");
        if (files.size() != 1) return usage("run takes exactly one experiment file");
        Path file = Path.of(files.get(0));
        ExperimentReader.Result read = ExperimentReader.read(file);
        if (!report(file, read.problems())) return BAD_INPUT;
        if (!fits(file, read)) return BAD_INPUT;
        Path outDir = OutputFolder.check(Path.of(opts.getOrDefault("--out", "results")), "--out");
        ConsoleMonitor monitor = new ConsoleMonitor(out);
        return cancellable(monitor, "run cancelled; no result folder was written (training resumes from its last checkpoint)", () -> {
            monitor.log("NoPE Lab: " + file + " -> " + outDir.toAbsolutePath());
            Path dir = ExperimentRunner.run(read.experiment(), read.resolved(), Files.readString(file), outDir, ChartFiles.pngRenderer(), monitor);
            if (SweepRunner.isSweep(dir)) {
                SweepSummary s = SweepRunner.read(dir);
                monitor.log(String.format("sweep finished: %d of %d runs; summary: %s (and sweep.csv)", s.runsDone(), s.runs(), dir.toAbsolutePath().resolve("sweep.json")));
            } else {
                printScores(dir);
            }
            monitor.log("result folder: " + dir.toAbsolutePath());
        });
    }

    interface Work {
        void run() throws IOException;
    }

    /**
     * Runs long work so that Ctrl-C cancels it cleanly (the shutdown hook asks the monitor to stop at the next
     * batch and waits for the staging folder to be removed), mapping the outcome to an exit code.
     */
    int cancellable(ConsoleMonitor monitor, String cancelled, Work work) throws IOException {
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            monitor.cancel();
            try { main.join(10_000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            work.run();
            return OK;
        } catch (RunCancelledException e) {
            err.println("nopelab: " + cancelled);
            return CANCELLED;
        } catch (TrainingDivergedException e) {
            err.println("nopelab: " + e.getMessage());
            return FAILED;
        } finally {
            try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException shuttingDown) { /* hook is running */ }
        }
    }

    private int reproduce(List<String> args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> rest = options(args.stream().filter(a -> !a.equals("--quick")).toList(), opts, "--examples", "--out");
        if (!rest.isEmpty()) return usage("reproduce takes --quick, --examples DIR and --out DIR, not '" + rest.get(0) + "'");
        Path examples = Path.of(opts.getOrDefault("--examples", "examples/paper"));
        if (!Files.isDirectory(examples)) return usage("no experiment folder " + examples + " (give --examples DIR)");
        Path outDir = OutputFolder.check(Path.of(opts.getOrDefault("--out", "results")), "--out");
        ConsoleMonitor monitor = new ConsoleMonitor(out);
        return cancellable(monitor, "reproduction cancelled; finished runs are kept and reused by the next reproduce", () -> {
            Path report = new Reproduction(examples, outDir, args.contains("--quick"), monitor).run();
            monitor.log("report: " + report.toAbsolutePath().resolve("index.html"));
        });
    }

    /** The score table of each subject, read back from the folder just written. */
    private void printScores(Path dir) throws IOException {
        for (Path f : ResultFolder.subjects(dir)) {
            ResultSummary r = ResultFolder.open(f).summary();
            out.println();
            out.println(r.experiment() + (r.training() == null ? "" : String.format("  (trained on %s: %s %.4f, sequences %.4f)",
                    r.training().task(), r.training().accuracyName(), r.training().tokenAccuracy(), r.training().sequenceAccuracy())));
            StringBuilder head = new StringBuilder(String.format("%-8s", "state"));
            List<AdjacencyScore> scores = List.copyOf(r.states().get(0).scores().keySet());
            for (AdjacencyScore a : scores) head.append(String.format(" %-26s", a.name() + " [95% CI] (chance)"));
            if (r.states().get(0).probes() != null) head.append("  probe R2 cosine / variance");
            out.println(head);
            for (StateMetrics s : r.states()) {
                StringBuilder line = new StringBuilder(String.format("%-8s", s.name()));
                for (AdjacencyScore a : scores) {
                    ScoreResult v = s.scores().get(a);
                    line.append(String.format(" %.3f [%.3f,%.3f] (%.3f)  ", v.perSequence().mean(), v.perSequence().ci95Low(), v.perSequence().ci95High(), v.chance()));
                }
                if (s.probes() != null) {
                    line.append("  " + r2(s.probes().get(PositionProbe.Features.cosine)) + " / " + r2(s.probes().get(PositionProbe.Features.variance)));
                }
                out.println(line);
            }
        }
    }

    /** A probe's R^2, or "undefined" where its feature is rounding (the reason is in metrics.json). */
    private static String r2(PositionProbe.Score p) {
        return p.defined() ? String.format("%.3f", p.r2()) : "undefined";
    }

    private int validate(List<String> files) {
        if (files.isEmpty()) return usage("validate takes one or more experiment files");
        boolean ok = true;
        int failed = 0;
        for (String f : files) { // every file is checked, whatever happened to the one before
            try {
                ExperimentReader.Result r = ExperimentReader.read(Path.of(f));
                ok &= report(Path.of(f), r.problems());
                boolean fits = !r.ok() || fits(Path.of(f), r);
                ok &= fits;
                if (r.ok() && fits) out.println(f + ": valid" + (r.problems().isEmpty() ? "" : " (with warnings)"));
            } catch (RuntimeException | StackOverflowError e) {
                failed++;
                Failures.report(e, new String[] {"validate", f}, err);
            }
        }
        return failed > 0 ? FAILED : ok ? OK : BAD_INPUT;
    }

    /** False, with the estimate and what to lower, when the experiment cannot fit this process's memory. */
    private boolean fits(Path file, ExperimentReader.Result read) {
        String why = MemoryEstimate.refusal(read.experiment(), read.resolved());
        return why == null || report(file, List.of(new Problem(Problem.Severity.error, 1, 1, "", why)));
    }

    /** Prints problems in compiler form; false if any is an error. */
    boolean report(Path file, List<Problem> problems) {
        for (Problem p : problems) err.println(p.format(file.toString()));
        long errors = problems.stream().filter(p -> p.severity() == Problem.Severity.error).count();
        if (errors > 0) err.println(file + ": " + errors + " error" + (errors == 1 ? "" : "s") + "; nothing was run");
        return errors == 0;
    }

    private int hiddenStates(List<String> args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        boolean attention = args.contains("--attention");
        args = args.stream().filter(a -> !a.equals("--attention")).toList();
        List<String> extra = options(args, opts, "--model", "--tokens", "--out", "--format");
        if (!extra.isEmpty() || !opts.containsKey("--model") || !opts.containsKey("--tokens") || !opts.containsKey("--out")) {
            return usage("hidden-states needs --model, --tokens and --out");
        }
        String format = opts.getOrDefault("--format", "safetensors");
        if (!format.equals("safetensors") && !format.equals("npy")) return usage("--format is safetensors or npy, not '" + format + "'");
        Path target = Path.of(opts.get("--out"));
        if (format.equals("npy")) OutputFolder.check(target, "--out");
        else OutputFolder.check(target.toAbsolutePath().getParent(), "the folder of --out");
        if (format.equals("safetensors") && Files.isDirectory(target)) throw new IllegalArgumentException("--out " + target + " is a folder; give a file name ending in .safetensors, or --format npy");
        Path modelFile = Path.of(opts.get("--model"));
        ModelFile.Loaded model = ModelFile.load(modelFile);
        ModelCheck.check(modelFile, model);
        Path tokensFile = Path.of(opts.get("--tokens"));
        int[][] tokens = tokensFile.toString().endsWith(".npy") ? Npy.readTokens(tokensFile) : Csv.readTokens(tokensFile);
        ModelCheck.checkTokens(tokens, model.config(), tokensFile);
        if (attention) { // probabilities and scores of every block: layers x 2 x [sequences, heads, n, n] float32, all held at once
            var c = model.config();
            long n = tokens[0].length, bytes = 2L * c.layers() * tokens.length * c.heads() * n * n * Float.BYTES;
            long room = Runtime.getRuntime().maxMemory() / 2;
            if (bytes > room) {
                throw new IllegalArgumentException(String.format("--attention on %d sequences of %d positions needs %.1f GB for %d blocks' attention, more than"
                        + " the %.1f GB this process can spare: give fewer sequences (or a larger NOPELAB_XMX)", tokens.length, n, bytes / 1e9, c.layers(), room / 1e9));
            }
        }
        Capture capture = attention ? Capture.allStates().withAttention(true) : Capture.allStates();
        Engines.standard().forward(model.config(), model.weights(), tokens, capture, () -> {});
        // --attention adds layerL.attn.probs and layerL.attn.scores, [sequences, heads, positions, positions]
        Map<String, Tensor> all = new LinkedHashMap<>(capture.captured().all());
        all.putAll(capture.attention().all());
        if (format.equals("safetensors")) {
            Safetensors.write(target, all, Map.of("format", "nopelab/hidden-states/1"));
        } else {
            Files.createDirectories(target);
            for (Map.Entry<String, Tensor> e : all.entrySet()) Npy.write(target.resolve(e.getKey() + ".npy"), e.getValue());
        }
        out.println("wrote " + capture.captured().all().size() + " hidden states" + (attention ? " and " + capture.attention().all().size() + " attention tensors" : "")
                + " of " + tokens.length + " sequences to " + target);
        return OK;
    }

    private int bench(List<String> args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        boolean profile = args.contains("--profile");
        args = args.stream().filter(a -> !a.equals("--profile")).toList();
        if (!args.equals(List.of("--list")) && !options(args, opts, "--pytorch", "--python", "--sizes", "--repeats", "--threads", "--table").isEmpty()) return usage("bench takes options only");
        if (args.equals(List.of("--list"))) {
            org.nopelab.core.bench.EngineBenchmark.SIZES.forEach(sz -> out.println(sz.name()));
            return OK;
        }
        String script = opts.getOrDefault("--pytorch", "");
        if (script.isEmpty()) return usage("bench needs --pytorch bench/pytorch_bench.py (./nopelab bench passes it)");
        String stamp = ResultWriter.timestamp();
        try {
            return Bench.run(opts.getOrDefault("--python", "python3"), Path.of(script), Bench.list(opts.get("--sizes")), Integer.parseInt(opts.getOrDefault("--repeats", "5")),
                    Integer.parseInt(opts.getOrDefault("--threads", "0")), Path.of(opts.getOrDefault("--table", "results/bench-" + stamp + ".md")), profile, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CANCELLED;
        }
    }

    /** Splits "--key value" pairs into opts; returns the positional arguments. */
    static List<String> options(List<String> args, Map<String, String> opts, String... known) {
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (!Arrays.asList(known).contains(a)) throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                if (i + 1 >= args.size()) throw new IllegalArgumentException(a + " needs a value");
                opts.put(a, args.get(++i));
            } else {
                positional.add(a);
            }
        }
        return positional;
    }

    int usage(String problem) {
        err.println("nopelab: " + problem);
        err.println(USAGE);
        return BAD_INPUT;
    }

    @Override
    public void stop() {
        // runs end by themselves; nothing to interrupt
    }
}
