package org.nopelab.core.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Slurm through its own commands (sbatch, squeue, scancel), nothing else: no REST API, no accounting database
 * (sacct needs slurmdbd, which small clusters often lack). Each call has a time limit; a command that is missing
 * or fails says so in one line.
 */
public final class Slurm {
    private static final long TIMEOUT_SECONDS = 60;

    private Slurm() {}

    /** Submits script; returns the job id (sbatch --parsable prints "ID" or "ID;CLUSTER"). */
    public static String sbatch(Path script) throws IOException {
        String printed = call(List.of("sbatch", "--parsable", script.toString())).trim();
        String id = printed.contains(";") ? printed.substring(0, printed.indexOf(';')) : printed;
        if (!id.matches("[0-9]+")) throw new IOException("sbatch printed '" + printed + "', not a job id");
        return id;
    }

    /** The array tasks of job still known to squeue, task id -> state (PENDING, RUNNING, COMPLETING, ...). */
    public static Map<Integer, String> tasks(String job) throws IOException {
        Map<Integer, String> out = new LinkedHashMap<>();
        String printed;
        try {
            printed = call(List.of("squeue", "-h", "-r", "-j", job, "-o", "%K %T"));
        } catch (IOException e) {
            if (e.getMessage().contains("Invalid job id")) return out; // ended and purged: nothing is queued or running
            throw e;
        }
        for (String line : printed.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].matches("[0-9]+")) out.put(Integer.parseInt(f[0]), f[1]);
        }
        return out;
    }

    /** Cancels one array task (JOB_TASK) or a whole job. */
    public static void scancel(String jobOrTask) throws IOException {
        call(List.of("scancel", jobOrTask));
    }

    /** True when the named Slurm command is on PATH. */
    public static boolean available(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    static String call(List<String> command) throws IOException {
        if (!available(command.get(0))) {
            throw new IOException(command.get(0) + " is not on PATH: this machine is not a Slurm submit host (install slurm-client, or run"
                    + " the sweep locally with 'nopelab run')");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output;
        try {
            output = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " was interrupted");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            List<String> lines = new ArrayList<>(text.lines().filter(l -> !l.isBlank()).toList());
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + (lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)));
        }
        return text;
    }
}
