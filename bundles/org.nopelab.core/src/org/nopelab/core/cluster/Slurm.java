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

    /**
     * Where Slurm's commands are: the folder named by -Dnopelab.slurm.bin or NOPELAB_SLURM_BIN (clusters that keep
     * them in /opt/slurm/bin, off PATH), else null for PATH.
     */
    static Path binDir() {
        String dir = System.getProperty("nopelab.slurm.bin", System.getenv("NOPELAB_SLURM_BIN"));
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** The named Slurm command's executable, or null when there is none. */
    public static Path find(String command) {
        List<String> dirs = binDir() != null ? List.of(binDir().toString()) : List.of(System.getenv().getOrDefault("PATH", "").split(":"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, command))) return Path.of(dir, command);
        }
        return null;
    }

    /** The command's executable; a missing one is an IOException that says where it was looked for and what to do. */
    public static Path require(String command) throws IOException {
        Path exe = find(command);
        if (exe == null) {
            throw new IOException(command + " is not " + (binDir() != null ? "in " + binDir() + " (nopelab.slurm.bin)" : "on PATH")
                    + ": this machine is not a Slurm submit host (install slurm-client, or run the sweep locally with 'nopelab run')");
        }
        return exe;
    }

    static String call(List<String> command) throws IOException {
        Path exe = require(command.get(0));
        List<String> argv = new ArrayList<>(command);
        argv.set(0, exe.toString());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
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
