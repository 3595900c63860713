package org.nopelab.ui.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.console.MessageConsoleStream;
import org.nopelab.charts.ChartFiles;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.monitor.TrainingPoint;
import org.nopelab.core.run.ExperimentRunner;
import org.nopelab.core.train.Trainer;
import org.nopelab.core.train.TrainingDivergedException;
import org.nopelab.ui.preferences.Setting;

/**
 * Runs an experiment file as an Eclipse Job: real progress (batches, training steps), cancel at the next batch
 * or step (nothing half-written is left), every line mirrored to the "NoPE Lab runs" console. All runs share
 * one scheduling rule, so several queue one after another instead of fighting over the cores.
 */
public final class RunExperimentJob extends Job {
    /** One run at a time: the engine already uses every core it is given. */
    public static final ISchedulingRule ONE_RUN_AT_A_TIME = new ISchedulingRule() {
        @Override public boolean contains(ISchedulingRule rule) { return rule == this; }
        @Override public boolean isConflicting(ISchedulingRule rule) { return rule == this; }
    };

    private final Path experiment;
    private final Path outDir;
    private final Consumer<Path> onResult;
    private final MessageConsoleStream console;
    private volatile Path result;
    private final List<TrainingPoint> curve = new CopyOnWriteArrayList<>();
    /** Told of every training point of every run, on the job's thread (views hop to the UI thread). */
    private static final List<BiConsumer<RunExperimentJob, List<TrainingPoint>>> TRAINING_LISTENERS = new CopyOnWriteArrayList<>();

    /** Listens to the training curves of all runs as they grow; each call gets the curve so far. */
    public static void addTrainingListener(BiConsumer<RunExperimentJob, List<TrainingPoint>> l) {
        TRAINING_LISTENERS.add(l);
    }

    public static void removeTrainingListener(BiConsumer<RunExperimentJob, List<TrainingPoint>> l) {
        TRAINING_LISTENERS.remove(l);
    }

    /** The training curve so far (a paired experiment trains once; the curve restarts if it trains again). */
    public List<TrainingPoint> trainingCurve() {
        return List.copyOf(curve);
    }

    public RunExperimentJob(Path experiment, Path outDir, Consumer<Path> onResult) {
        super("Run " + experiment.getFileName());
        this.experiment = experiment;
        this.outDir = outDir;
        this.onResult = onResult;
        // open the console before the job runs: activating it starts core.resources, whose own workspace
        // rule must not be taken inside this job's rule
        this.console = RunConsole.stream();
        setRule(ONE_RUN_AT_A_TIME);
        setUser(true);
    }

    /** The result folder, once the run succeeded. */
    public Path result() {
        return result;
    }

    private volatile long stoppedAt;

    /** System.nanoTime() when run() returned: how fast a cancel took effect, measured in the job itself. */
    public long stoppedAt() {
        return stoppedAt;
    }

    @Override
    protected IStatus run(IProgressMonitor progress) {
        try {
            return runExperiment(progress);
        } finally {
            stoppedAt = System.nanoTime();
        }
    }

    private IStatus runExperiment(IProgressMonitor progress) {
        ExperimentReader.Result read = ExperimentReader.read(experiment);
        for (Problem p : read.problems()) console.println(p.format(experiment.toString()));
        if (!read.ok()) {
            return Status.error(experiment.getFileName() + " has " + read.problems().size() + " problem(s); see the NoPE Lab runs console. Nothing was run.");
        }
        String tooLarge = org.nopelab.core.run.MemoryEstimate.refusal(read.experiment(), read.resolved());
        if (tooLarge != null) {
            console.println(experiment + ":1:1: error: " + tooLarge);
            return Status.error(experiment.getFileName() + ": " + tooLarge + ". Nothing was run.");
        }
        console.println("NoPE Lab: " + experiment + " -> " + outDir.toAbsolutePath());
        try {
            Engines.threads(Setting.threads());
            result = ExperimentRunner.run(read.experiment(), read.resolved(), Files.readString(experiment), outDir,
                    ChartFiles.pngRenderer(), new JobMonitor(progress, console) {
                        @Override
                        public void trainingPoint(TrainingPoint row) {
                            if (!curve.isEmpty() && row.step() <= curve.get(curve.size() - 1).step()) curve.clear();
                            curve.add(row);
                            List<TrainingPoint> now = trainingCurve();
                            for (var l : TRAINING_LISTENERS) l.accept(RunExperimentJob.this, now);
                        }
                    });
            console.println("result folder: " + result.toAbsolutePath());
            if (onResult != null) onResult.accept(result);
            return Status.OK_STATUS;
        } catch (RunCancelledException e) {
            console.println("cancelled; no result folder was written");
            return Status.CANCEL_STATUS;
        } catch (TrainingDivergedException e) {
            console.println(e.getMessage());
            return Status.error(e.getMessage());
        } catch (IOException | RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            console.println(trace.toString());
            return Status.error("Run of " + experiment.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    /** RunMonitor over an IProgressMonitor: each begin() is a new task whose work the bar shows. */
    private static class JobMonitor implements RunMonitor {
        private final IProgressMonitor progress;
        private final MessageConsoleStream console;
        private SubMonitor task;
        private final long start = System.nanoTime();

        JobMonitor(IProgressMonitor progress, MessageConsoleStream console) {
            this.progress = progress;
            this.console = console;
        }

        @Override
        public void begin(String name, int totalWork) {
            task = SubMonitor.convert(progress, name, totalWork);
            log(name);
        }

        @Override
        public void worked(int work, String detail) {
            if (task != null) {
                task.subTask(detail);
                task.worked(work);
            }
            log(detail);
        }

        @Override
        public void log(String line) {
            console.println(String.format("[%7.1fs] %s", (System.nanoTime() - start) / 1e9, line));
        }

        @Override
        public boolean isCancelled() {
            return progress.isCanceled();
        }
    }
}
