package org.nopelab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.cluster.SlurmSweep;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.run.FigureRenderer;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.ui.editor.Experiments;
import org.nopelab.ui.internal.SubmitSweepJob;
import org.nopelab.ui.views.RunsView;
import org.nopelab.ui.views.SweepView;

/**
 * Submit Sweep to Cluster in the workbench, against stand-in sbatch and squeue scripts (the real Slurm path is
 * releng/slurm/integration-test.sh): the command submits in a Job, the Runs view shows each cell's state as squeue
 * and the folders change, a finished cell opens the Sweep view with its numbers, a failed one shows its log, and a
 * missing sbatch is a row with the reason, never a stack trace.
 */
class ClusterSubmitTest {
    @TempDir
    Path tmp;

    static final String SWEEP = """
            schema: nopelab/experiment/1
            name: ui-cluster
            model: {vocab_size: 16, d_model: 16, heads: 2, layers: 2, d_ff: 32}
            input: {seq_len: 10, samples: 8}
            analysis: {probes: false, figures: false}
            sweep:
              grid:
                model.pe: [none, rope, alibi]
            """;

    @AfterEach
    void restore() {
        System.clearProperty("nopelab.slurm.bin");
        SubmitSweepJob.answer = null;
    }

    private static void script(Path bin, String name, String body) throws Exception {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static RunsView.Run row(String experiment) {
        RunsView view = (RunsView) Ui.page().findView(RunsView.ID);
        return view == null ? null : view.runs().stream().filter(r -> r.experiment().equals(experiment)).findFirst().orElse(null);
    }

    private static String state(String cell) {
        RunsView.Run r = row("  cell " + cell);
        return r == null ? null : r.status().trim();
    }

    @Test
    void submitFollowAndShowASweepOnTheCluster() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin")), queue = tmp.resolve("queue");
        script(bin, "sbatch", "echo \"$@\" > '" + tmp.resolve("sbatch.args") + "'\necho 77");
        script(bin, "squeue", "cat '" + queue + "'");
        Files.writeString(queue, "0 RUNNING\n1 PENDING\n2 PENDING\n");
        System.setProperty("nopelab.slurm.bin", bin.toString());
        System.setProperty("nopelab.results", tmp.resolve("results").toString());
        String[] asked = new String[1];
        SubmitSweepJob.answer = q -> (asked[0] = q) != null;
        assertTrue(PlatformUI.getWorkbench().getService(ICommandService.class).getCommand("org.nopelab.ui.submitSweep").isDefined());

        Path file = tmp.resolve("ui-cluster.yaml");
        Files.writeString(file, SWEEP);
        Ui.page().activate(Experiments.open(Ui.page(), file));
        Ui.page().showView(RunsView.ID);
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        SubmitSweepJob job = (SubmitSweepJob) handlers.executeCommand("org.nopelab.ui.submitSweep", null);
        Ui.waitFor("the submission ends", () -> job.getResult() != null);
        assertNull(job.failure(), job.failure());
        assertTrue(asked[0].contains("Submit 3 cells of ui-cluster to Slurm"), asked[0]);
        assertEquals("77", job.submission().job());
        Path dir = job.submission().dir();
        assertTrue(Files.readString(job.submission().scriptFile()).contains("#SBATCH --array=0-2%8"));
        assertTrue(Files.readString(tmp.resolve("sbatch.args")).contains("--parsable"));

        String[] ids = SlurmSweep.open(dir).experiment().sweep().cells().stream().map(c -> c.id()).toArray(String[]::new);
        Ui.waitFor("the Runs view shows each cell's state from squeue", () -> "running".equals(state(ids[0])) && "pending".equals(state(ids[1])));
        assertTrue(row("ui-cluster").status().startsWith("on Slurm: running 1, pending 2"), row("ui-cluster").status());

        // cell 0 finishes (run here as its array task would run it) and leaves the queue
        SlurmSweep.Folder f = SlurmSweep.open(dir);
        SweepRunner.runCell(f.experiment(), f.resolved(), dir, f.experiment().sweep().cells().get(0), FigureRenderer.NONE, RunMonitor.NONE);
        Files.writeString(queue, "1 RUNNING\n2 PENDING\n");
        Ui.waitFor("the finished cell is done in the Runs view", () -> "done".equals(state(ids[0])) && "running".equals(state(ids[1])));
        Ui.waitFor("and its sweep opens in the Sweep view with its numbers", () -> Ui.page().findView(SweepView.ID) instanceof SweepView v
                && dir.equals(v.folder()) && v.summary().runsDone() == 1);

        // cell 1 leaves the queue without its folder: failed, with its log
        Files.writeString(queue, "2 RUNNING\n");
        Ui.waitFor("a cell that left the queue unfinished is failed, with its log", () -> "failed".equals(state(ids[1]))
                && row("  cell " + ids[1]).headline().contains("logs/77_1.log"));

        // without sbatch, submitting the missing cells says why in the Runs view
        System.setProperty("nopelab.slurm.bin", Files.createDirectories(tmp.resolve("empty")).toString());
        Files.writeString(queue, "");
        SubmitSweepJob again = (SubmitSweepJob) handlers.executeCommand("org.nopelab.ui.submitSweep", null);
        Ui.waitFor("the second submission ends", () -> again.getResult() != null);
        assertTrue(again.failure().startsWith("sbatch is not in " + tmp.resolve("empty")), again.failure());
        Ui.waitFor("the Runs view shows the reason", () -> ((RunsView) Ui.page().findView(RunsView.ID)).runs().stream()
                .anyMatch(r -> r.status().equals("submit failed") && r.headline().equals(again.failure())));
        assertEquals(List.of(dir), List.of(SweepRunner.folder(f.experiment(), f.resolved(), tmp.resolve("results"))));
    }
}
