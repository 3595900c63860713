package org.nopelab.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nopelab.charts.ChartFiles;
import org.nopelab.core.cluster.SlurmSweep;
import org.nopelab.core.experiment.ClusterConfig;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Sweep;
import org.nopelab.core.io.OutputFolder;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.core.run.SweepSummary;

/**
 * nopelab sweep submit|status|gather|cell: a sweep on a Slurm cluster, one array task per cell. Exit codes as the
 * rest of the application, plus 3 for a gather that found cells missing.
 */
final class SweepCommands {
    static final int INCOMPLETE = 3;
    static final String USAGE = """
                   nopelab sweep submit EXPERIMENT.yaml --out SHARED_DIR [--partition P] [--time T] [--cpus N] [--mem M] [--max-parallel K] [--dry-run]
                                                             hand a sweep to Slurm, one array task per cell missing or failed
                   nopelab sweep status DIR                 every cell: done, pending, running, failed (with its log), not submitted
                   nopelab sweep gather DIR                 rebuild sweep.json / sweep.csv from the finished cells; exit 3 names the missing ones
                   nopelab sweep cell DIR INDEX             run one cell of a sweep folder (what each array task runs)""";

    private final HeadlessApplication app;
    private final PrintStream out;

    SweepCommands(HeadlessApplication app, PrintStream out) {
        this.app = app;
        this.out = out;
    }

    int run(List<String> args) throws IOException {
        if (args.isEmpty()) return app.usage("sweep needs submit, status, gather or cell");
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "submit" -> submit(rest);
            case "status" -> status(one(rest, "status"));
            case "gather" -> gather(one(rest, "gather"));
            case "cell" -> cell(rest);
            default -> app.usage("unknown sweep command '" + args.get(0) + "' (submit, status, gather, cell)");
        };
    }

    private static Path one(List<String> args, String what) {
        if (args.size() != 1) throw new IllegalArgumentException("sweep " + what + " takes one sweep folder");
        return Path.of(args.get(0));
    }

    private int submit(List<String> args) throws IOException {
        boolean dryRun = args.contains("--dry-run");
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> files = HeadlessApplication.options(args.stream().filter(a -> !a.equals("--dry-run")).toList(), opts,
                "--out", "--partition", "--time", "--cpus", "--mem", "--max-parallel");
        if (files.size() != 1 || !opts.containsKey("--out")) return app.usage("sweep submit takes one experiment file and --out SHARED_DIR");
        Path file = Path.of(files.get(0));
        ExperimentReader.Result read = ExperimentReader.read(file);
        if (!app.report(file, read.problems())) return HeadlessApplication.BAD_INPUT;
        // the command line's cluster options go through the schema like the file's, so a bad --time gets the same message
        Map<String, Object> overrides = new LinkedHashMap<>();
        opts.forEach((k, v) -> {
            if (k.equals("--out")) return;
            String key = k.substring(2).replace('-', '_');
            overrides.put(key, key.equals("cpus") || key.equals("max_parallel") ? (Object) parseInt(k, v) : v);
        });
        ClusterConfig cluster = read.experiment().cluster();
        if (!overrides.isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode tree = read.resolved().deepCopy();
            overrides.forEach((k, v) -> ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("cluster")).putPOJO(k, v));
            ExperimentReader.Result again = ExperimentReader.read(org.nopelab.core.io.Json.YAML.writeValueAsString(tree));
            List<org.nopelab.core.experiment.Problem> bad = again.problems().stream().filter(p -> p.path().startsWith("cluster")).toList();
            if (!bad.isEmpty()) throw new IllegalArgumentException("--" + bad.get(0).path().substring(8).replace('_', '-') + ": " + bad.get(0).message());
            cluster = again.experiment().cluster();
        }
        Path outDir = OutputFolder.check(Path.of(opts.get("--out")), "--out");
        SlurmSweep.Submission s = SlurmSweep.submit(read.experiment(), read.resolved(), Files.readString(file), outDir, cluster, SlurmSweep.installedLauncher(), dryRun);
        if (s.cells().isEmpty()) {
            out.println("nothing to submit: every cell of " + s.dir() + " is done or queued (nopelab sweep status " + s.dir() + ")");
            return HeadlessApplication.OK;
        }
        if (dryRun) {
            out.print(s.script());
            out.println("# dry run: not submitted; " + s.cells().size() + " cells would run into " + s.dir());
            return HeadlessApplication.OK;
        }
        out.println("submitted job " + s.job() + ": " + s.cells().size() + " of " + read.experiment().sweep().cells().size() + " cells ("
                + s.scriptFile() + ")");
        out.println("sweep folder: " + s.dir());
        return HeadlessApplication.OK;
    }

    private static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " is a whole number, not '" + v + "'");
        }
    }

    private int status(Path dir) throws IOException {
        SlurmSweep.Folder f = SlurmSweep.open(dir);
        List<SlurmSweep.CellState> states = SlurmSweep.status(f);
        for (SlurmSweep.CellState s : states) {
            out.printf("%-14s %s%s%n", s.state(), s.id(), s.detail().isEmpty() ? "" : "  (" + s.detail() + ")");
        }
        out.println(f.experiment().name() + ": " + SlurmSweep.counts(states));
        return HeadlessApplication.OK;
    }

    private int gather(Path dir) throws IOException {
        SlurmSweep.Folder f = SlurmSweep.open(dir);
        SweepSummary s = SlurmSweep.gather(f);
        List<String> missing = SlurmSweep.missing(f);
        out.println("gathered " + s.runsDone() + " of " + s.runs() + " runs into " + f.dir().resolve("sweep.json") + " (and sweep.csv)");
        if (missing.isEmpty()) return HeadlessApplication.OK;
        out.println("missing " + missing.size() + " cells: " + String.join(", ", missing) + " (nopelab sweep status " + f.dir() + "; submit again to run them)");
        return INCOMPLETE;
    }

    private int cell(List<String> args) throws IOException {
        if (args.size() != 2) return app.usage("sweep cell takes a sweep folder and a cell index");
        SlurmSweep.Folder f = SlurmSweep.open(Path.of(args.get(0)));
        int index = parseInt("the cell index", args.get(1));
        List<Sweep.Cell> cells = f.experiment().sweep().cells();
        if (index < 0 || index >= cells.size()) throw new IllegalArgumentException("cell " + index + " does not exist: the sweep has cells 0.." + (cells.size() - 1));
        ConsoleMonitor monitor = new ConsoleMonitor(out);
        return app.cancellable(monitor, "cell cancelled; its unfinished run left no folder (submit again to rerun it)", () -> {
            monitor.log("NoPE Lab: cell " + index + " (" + cells.get(index).label() + ") of " + f.dir());
            SweepRunner.runCell(f.experiment(), f.resolved(), f.dir(), cells.get(index), ChartFiles.pngRenderer(), monitor);
            monitor.log("cell " + cells.get(index).id() + " done");
        });
    }
}
