package org.nopelab.ui.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.part.ViewPart;
import org.nopelab.core.io.Json;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.core.run.SweepSummary;
import org.nopelab.ui.internal.Runs;
import org.nopelab.ui.internal.Tables;
import org.nopelab.core.run.ResultSummary;
import org.nopelab.core.run.StateMetrics;
import org.nopelab.core.cluster.SlurmSweep;
import org.nopelab.ui.internal.ClusterWatch;
import org.nopelab.ui.internal.RunExperimentJob;
import org.nopelab.ui.internal.SubmitSweepJob;
import org.nopelab.ui.preferences.Setting;

/**
 * Past and running runs: every result folder under the results folder (newest first) with its experiment,
 * subjects, duration and headline score, plus runs queued or in progress. Double-click opens a result in the
 * Similarity view; the list refreshes whenever a run ends.
 */
public final class RunsView extends ViewPart {
    public static final String ID = "org.nopelab.ui.views.runs";

    /** One row: a result folder, or a job still queued or running (folder null). */
    public record Run(String status, String experiment, String subjects, String seed, String seconds, String headline, Path folder) {}

    private TableViewer table;
    /** Submissions that failed in this session, shown as rows with their reason (a missing sbatch, ...). */
    private final List<SubmitSweepJob> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final JobChangeAdapter refreshOnRunChange = new JobChangeAdapter() {
        @Override public void scheduled(IJobChangeEvent e) { refreshLater(e.getJob()); }
        @Override public void running(IJobChangeEvent e) { refreshLater(e.getJob()); }
        @Override public void done(IJobChangeEvent e) { refreshLater(e.getJob()); }
    };

    @Override
    public void createPartControl(Composite parent) {
        table = new TableViewer(parent, SWT.FULL_SELECTION | SWT.SINGLE | SWT.V_SCROLL | SWT.H_SCROLL);
        table.getTable().setHeaderVisible(true);
        table.getTable().setLinesVisible(true);
        column("Status", 170, Run::status);
        column("Experiment", 200, Run::experiment);
        column("Subjects", 160, Run::subjects);
        column("Seed", 50, Run::seed);
        column("Seconds", 70, Run::seconds);
        column("ap_nn, last layer (chance)", 230, Run::headline);
        column("Folder", 280, r -> r.folder() == null ? "" : r.folder().getFileName().toString());
        table.setContentProvider(ArrayContentProvider.getInstance());
        table.addDoubleClickListener(e -> open((Run) ((IStructuredSelection) e.getSelection()).getFirstElement()));
        Job.getJobManager().addJobChangeListener(refreshOnRunChange);
        refresh();
        ClusterWatch.follow(); // sweeps submitted earlier: their cells' states
    }

    private void column(String title, int width, java.util.function.Function<Run, String> text) {
        Tables.column(table, title, width, text);
    }

    private void refreshLater(Job job) {
        if (job instanceof SubmitSweepJob submit && submit.getResult() != null && submit.failure() != null) failures.add(submit);
        if (!(job instanceof RunExperimentJob || job instanceof SubmitSweepJob) || table.getControl().isDisposed()) return;
        table.getControl().getDisplay().asyncExec(() -> {
            if (!table.getControl().isDisposed()) refresh();
        });
    }

    /** Re-reads the results folder and the job queue. */
    public void refresh() {
        List<Run> runs = new ArrayList<>();
        for (Job j : Job.getJobManager().find(null)) {
            if (j instanceof RunExperimentJob run) {
                runs.add(new Run(j.getState() == Job.RUNNING ? "running" : "queued", run.getName().replaceFirst("^Run ", ""), "", "", "", "", null));
            } else if (j instanceof SubmitSweepJob submit) {
                runs.add(new Run("submitting", submit.experimentName(), "", "", "", "to Slurm", null));
            }
        }
        for (SubmitSweepJob f : failures) runs.add(new Run("submit failed", f.experimentName(), "", "", "", f.failure(), null));
        Path root = Setting.resultsDir();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> ResultFolder.isResult(d) || SweepRunner.isSweep(d)).sorted(Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed())
                        .forEach(p -> {
                            runs.add(describe(p));
                            if (SlurmSweep.isSubmitted(p)) runs.addAll(cells(p));
                        });
            } catch (IOException e) {
                runs.add(new Run("error", e.getMessage(), "", "", "", "", null));
            }
        }
        table.setInput(runs);
    }

    private static Run describe(Path dir) {
        try {
            if (SweepRunner.isSweep(dir)) {
                SweepSummary s = SweepRunner.read(dir);
                String status = s.complete() ? "sweep" : "sweep, partial";
                if (SlurmSweep.isSubmitted(dir)) status = clusterStatus(dir);
                return new Run(status, s.experiment(), String.join(", ", s.subjectNames()),
                        s.seeds().toString(), "", s.runsDone() + " of " + s.runs() + " runs", dir);
            }
            List<Path> subjects = ResultFolder.subjects(dir);
            List<String> names = new ArrayList<>();
            double seconds = 0;
            StringBuilder headline = new StringBuilder();
            String experiment = dir.getFileName().toString();
            for (Path s : subjects) {
                ResultSummary r = ResultFolder.open(s).summary();
                names.add(subjects.size() == 1 ? "(single)" : s.getFileName().toString());
                seconds += r.seconds() + (r.training() == null ? 0 : r.training().seconds());
                StateMetrics last = r.states().get(r.states().size() - 1);
                var apnn = last.scores().get(AdjacencyScore.ap_nn);
                if (apnn != null) headline.append(headline.length() == 0 ? "" : ", ").append(String.format("%.3f (%.3f)", apnn.perSequence().mean(), apnn.chance()));
                experiment = subjects.size() == 1 ? r.experiment() : experiment.replaceFirst("-\\d{8}-\\d{6}(-\\d+)?$", "");
            }
            String seed = Json.MAPPER.readTree(dir.resolve("provenance.json").toFile()).path("seed").asText("");
            return new Run("done", experiment, String.join(", ", names), seed, String.format("%.1f", seconds), headline.toString(), dir);
        } catch (IOException | RuntimeException e) {
            return new Run("unreadable", dir.getFileName().toString(), "", "", "", e.getMessage(), dir);
        }
    }

    /** "on Slurm: done 2, running 2, pending 2", from the watch's last poll. */
    private static String clusterStatus(Path dir) {
        List<SlurmSweep.CellState> states = ClusterWatch.states(dir);
        if (states == null) return ClusterWatch.error(dir) != null ? "on Slurm: unknown" : "on Slurm: asking";
        return "on Slurm: " + SlurmSweep.counts(states);
    }

    /** One row per cell of a submitted sweep, under its sweep's row: its state and, for a failed one, its log. */
    private static List<Run> cells(Path dir) {
        List<Run> out = new ArrayList<>();
        String error = ClusterWatch.error(dir);
        if (error != null) out.add(new Run("  status?", "  (squeue)", "", "", "", error, dir));
        List<SlurmSweep.CellState> states = ClusterWatch.states(dir);
        if (states == null) return out;
        for (SlurmSweep.CellState c : states) {
            Path seed = SweepRunner.runFolder(dir, c.id(), 1);
            out.add(new Run("  " + c.state(), "  cell " + c.id(), "", "", "", c.detail(), c.finished() && Files.isDirectory(seed) ? seed : dir));
        }
        return out;
    }

    private void open(Run run) {
        if (run == null || run.folder() == null) return;
        try {
            Runs.show(run.folder());
        } catch (IllegalStateException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot open", e.getMessage());
        }
    }

    /** The rows shown, for tests. */
    @SuppressWarnings("unchecked")
    public List<Run> runs() {
        return (List<Run>) table.getInput();
    }

    @Override
    public void setFocus() {
        table.getControl().setFocus();
    }

    @Override
    public void dispose() {
        Job.getJobManager().removeJobChangeListener(refreshOnRunChange);
        super.dispose();
    }
}
