package org.nopelab.core.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nopelab.core.experiment.ClusterConfig;
import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;
import org.nopelab.core.experiment.Sweep;
import org.nopelab.core.io.AtomicFolder;
import org.nopelab.core.io.Json;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.core.run.SweepSummary;

/**
 * A sweep handed to Slurm as one job array, one array task per cell (task id = cell index), each task running
 * `nopelab sweep cell DIR INDEX`, which writes the cell's folders exactly as a local sweep does. The sweep folder
 * is the local one (same name, same files) plus slurm/: the submitted scripts, jobs.json (job id and cells of each
 * submission) and logs/JOB_TASK.log. Status comes from squeue and the folders on disk; gather rebuilds sweep.json.
 */
public final class SlurmSweep {
    private SlurmSweep() {}

    /** One submission as jobs.json records it. */
    public record Job(String job, List<Integer> cells, String script, String submitted) {}

    /** What submit did: the script, and the job id (null for a dry run or when nothing was left to submit). */
    public record Submission(Path dir, List<Integer> cells, String script, Path scriptFile, String job) {}

    /** A cell's state: done, pending, running (or another squeue state), failed, cancelled, not submitted. */
    public record CellState(int index, String id, String state, String detail) {
        public boolean finished() {
            return state.equals("done");
        }

        public boolean queued() {
            return !finished() && !state.equals("failed") && !state.equals("cancelled") && !state.equals("not submitted");
        }
    }

    /** "done 4, running 2": how many cells are in each state, in the order states first appear. */
    public static String counts(List<CellState> states) {
        Map<String, Integer> n = new java.util.LinkedHashMap<>();
        for (CellState s : states) n.merge(s.state(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        n.forEach((state, count) -> parts.add(state + " " + count));
        return String.join(", ", parts);
    }

    /** A sweep folder read back: its experiment (validated again) and resolved tree. */
    public record Folder(Path dir, Experiment experiment, ObjectNode resolved) {}

    /** The launcher every array task runs: this installation's (the product root holds it, next to plugins/). */
    public static Path installedLauncher() {
        String area = System.getProperty("osgi.install.area", "");
        Path root = area.startsWith("file:") ? Path.of(java.net.URI.create(area.endsWith("/") ? area : area + "/")) : Path.of(".").toAbsolutePath();
        return root.resolve("nopelab").normalize();
    }

    /** True for a sweep folder handed to Slurm (it has slurm/jobs.json). */
    public static boolean isSubmitted(Path dir) {
        return Files.isRegularFile(slurmDir(dir).resolve("jobs.json"));
    }

    public static Path slurmDir(Path dir) {
        return dir.resolve("slurm");
    }

    /**
     * Submits every cell that is neither done nor queued (all of them the first time). The folder is created as
     * a local sweep creates it; a dry run writes nothing and submits nothing.
     */
    public static Submission submit(Experiment e, ObjectNode resolved, String source, Path outDir, ClusterConfig c, Path launcher, boolean dryRun)
            throws IOException {
        if (!e.isSweep()) throw new IllegalArgumentException("sweep submit needs a file with a sweep section (a grid of cells); run a single experiment with 'nopelab run'");
        if (!dryRun) Slurm.require("sbatch"); // before anything else asks squeue: the first thing a user without Slurm must hear
        Path dir = SweepRunner.folder(e, resolved, outDir).toAbsolutePath();
        List<Integer> cells = new ArrayList<>();
        List<CellState> states = Files.isDirectory(dir) ? status(new Folder(dir, e, resolved)) : List.of();
        for (Sweep.Cell cell : e.sweep().cells()) {
            boolean skip = states.stream().anyMatch(s -> s.index() == cell.index() && (s.finished() || s.queued()));
            if (!skip) cells.add(cell.index());
        }
        List<Job> jobs = jobs(dir);
        Path scriptFile = slurmDir(dir).resolve("submit-" + (jobs.size() + 1) + ".sh");
        String script = script(e, dir, cells, c, launcher);
        if (dryRun || cells.isEmpty()) return new Submission(dir, cells, script, scriptFile, null);
        SweepRunner.prepare(e, resolved, source, outDir.toAbsolutePath());
        SweepRunner.gather(e, dir); // a sweep folder from the start: views open it at 0 of N runs
        Files.createDirectories(slurmDir(dir).resolve("logs"));
        AtomicFolder.writeString(scriptFile, script);
        String job = Slurm.sbatch(scriptFile);
        List<Job> all = new ArrayList<>(jobs);
        all.add(new Job(job, cells, dir.relativize(scriptFile).toString(), Instant.now().toString()));
        AtomicFolder.writeString(slurmDir(dir).resolve("jobs.json"), Json.MAPPER.writeValueAsString(all));
        return new Submission(dir, cells, script, scriptFile, job);
    }

    /** The sbatch script of a submission: one array task per listed cell, at most max_parallel at once. */
    public static String script(Experiment e, Path dir, List<Integer> cells, ClusterConfig c, Path launcher) {
        StringBuilder s = new StringBuilder("#!/bin/sh\n");
        s.append("#SBATCH --job-name=nopelab-").append(e.name()).append('\n');
        s.append("#SBATCH --array=").append(arraySpec(cells)).append('%').append(c.maxParallel()).append('\n');
        s.append("#SBATCH --cpus-per-task=").append(c.cpus()).append('\n');
        s.append("#SBATCH --mem=").append(c.mem()).append('\n');
        s.append("#SBATCH --time=").append(c.time()).append('\n');
        if (c.partition() != null && !c.partition().isEmpty()) s.append("#SBATCH --partition=").append(c.partition()).append('\n');
        s.append("#SBATCH --output=").append(slurmDir(dir).resolve("logs")).append("/%A_%a.log\n");
        s.append("# NoPE Lab sweep ").append(e.name()).append(": ").append(e.sweep().cells().size()).append(" cells; array task N runs cell N\n");
        s.append("# exactly as a local sweep runs it (same folders, same files), with the engine on the task's CPUs.\n");
        s.append("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-").append(c.cpus()).append("}\"\n");
        s.append("# a private OSGi configuration per task: tasks on one node must not share one\n");
        s.append("export NOPELAB_CONFIG=\"${TMPDIR:-/tmp}/nopelab-config-${SLURM_JOB_ID}\"\n");
        s.append(quote(launcher.toString())).append(" sweep cell ").append(quote(dir.toString())).append(" \"$SLURM_ARRAY_TASK_ID\"\n");
        s.append("status=$?\nrm -rf \"$NOPELAB_CONFIG\"\nexit $status\n");
        return s.toString();
    }

    /** 0,1,2,3,5 -> "0-3,5". */
    static String arraySpec(List<Integer> cells) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            int from = cells.get(i), to = from;
            while (i + 1 < cells.size() && cells.get(i + 1) == to + 1) to = cells.get(++i);
            if (s.length() > 0) s.append(',');
            s.append(from == to ? String.valueOf(from) : from + "-" + to);
        }
        return s.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The submissions recorded in the folder, oldest first. */
    public static List<Job> jobs(Path dir) throws IOException {
        Path f = slurmDir(dir).resolve("jobs.json");
        if (!Files.isRegularFile(f)) return List.of();
        return Json.MAPPER.readValue(f.toFile(), new TypeReference<List<Job>>() {});
    }

    /** Reads a sweep folder's experiment back and checks the folder is the one this file's sweep writes. */
    public static Folder open(Path dir) throws IOException {
        dir = dir.toAbsolutePath().normalize();
        Path file = dir.resolve("experiment.yaml");
        if (!Files.isRegularFile(file)) throw new IOException(dir + " is not a sweep folder: it has no experiment.yaml");
        ExperimentReader.Result r = ExperimentReader.read(file);
        if (r.experiment() == null) {
            Problem p = r.problems().stream().filter(x -> x.severity() == Problem.Severity.error).findFirst().orElseThrow();
            throw new IOException(p.format(file.toString()));
        }
        if (!r.experiment().isSweep()) throw new IOException(file + " has no sweep section: " + dir + " is not a sweep folder");
        if (!SweepRunner.folder(r.experiment(), r.resolved(), dir.getParent()).equals(dir)) {
            throw new IOException(dir + " was not written for its experiment.yaml (the folder name carries the file's hash): was the file edited?");
        }
        return new Folder(dir, r.experiment(), r.resolved());
    }

    /** Every cell's state: done from its folders; queued from squeue; failed or cancelled from its log. */
    public static List<CellState> status(Folder f) throws IOException {
        List<Job> jobs = jobs(f.dir());
        Map<String, Map<Integer, String>> queued = new java.util.HashMap<>();
        List<CellState> out = new ArrayList<>();
        for (Sweep.Cell c : f.experiment().sweep().cells()) {
            if (SweepRunner.isDone(f.experiment(), f.dir(), c)) {
                out.add(new CellState(c.index(), c.id(), "done", ""));
                continue;
            }
            Job last = null;
            for (Job j : jobs) if (j.cells().contains(c.index())) last = j;
            if (last == null) {
                out.add(new CellState(c.index(), c.id(), "not submitted", ""));
                continue;
            }
            Map<Integer, String> tasks = queued.get(last.job());
            if (tasks == null) queued.put(last.job(), tasks = Slurm.tasks(last.job()));
            Path log = slurmDir(f.dir()).resolve("logs").resolve(last.job() + "_" + c.index() + ".log");
            String state = tasks.get(c.index());
            if (state != null) {
                out.add(new CellState(c.index(), c.id(), state.toLowerCase(java.util.Locale.ROOT), "job " + last.job() + "_" + c.index()));
                continue;
            }
            String why = lastLine(log);
            boolean cancelled = why.contains("CANCELLED");
            out.add(new CellState(c.index(), c.id(), cancelled ? "cancelled" : "failed", "job " + last.job() + "_" + c.index() + ", log " + log
                    + (why.isEmpty() ? "" : ": " + why)));
        }
        return out;
    }

    /** The log's last line that says something (Slurm writes "*** JOB ... CANCELLED AT ..." there). */
    private static String lastLine(Path log) throws IOException {
        if (!Files.isRegularFile(log)) return "no log";
        List<String> lines = Files.readAllLines(log).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("WARNING")).toList();
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).contains("CANCELLED")) return lines.get(i);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** Rebuilds sweep.json and sweep.csv from the finished cells; the summary says which runs are missing. */
    public static SweepSummary gather(Folder f) throws IOException {
        return SweepRunner.gather(f.experiment(), f.dir());
    }

    /** The cells without every seed's folder, by id. */
    public static List<String> missing(Folder f) {
        List<String> out = new ArrayList<>();
        for (Sweep.Cell c : f.experiment().sweep().cells()) if (!SweepRunner.isDone(f.experiment(), f.dir(), c)) out.add(c.id());
        return out;
    }
}
