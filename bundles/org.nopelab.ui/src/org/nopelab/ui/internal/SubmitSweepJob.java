package org.nopelab.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.nopelab.core.cluster.SlurmSweep;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.ui.editor.Experiments;

/**
 * Hands a sweep to Slurm off the UI thread (sbatch can take seconds on a busy controller). On success the
 * ClusterWatch follows the sweep; on failure the one-line reason (a missing sbatch, an unreachable controller) is
 * kept for the Runs view, which shows it as a row.
 */
public final class SubmitSweepJob extends Job {
    /** Answers the confirmation instead of a dialog when set (UI tests); null: ask the user. */
    public static volatile java.util.function.Predicate<String> answer;

    private final Path file, results;
    private final ExperimentReader.Result experiment;
    private volatile SlurmSweep.Submission submission;
    private volatile String failure;

    public SubmitSweepJob(Path file, ExperimentReader.Result experiment, Path results) {
        super("Submit " + experiment.experiment().name() + " to Slurm");
        this.file = file;
        this.experiment = experiment;
        this.results = results;
        setUser(false); // a failure is shown in the Runs view, not as a modal error dialog
    }

    public static boolean confirm(Shell shell, String question) {
        var a = answer;
        return a != null ? a.test(question) : MessageDialog.openQuestion(shell, "Submit Sweep to Cluster", question);
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        try {
            Files.createDirectories(results);
            submission = SlurmSweep.submit(experiment.experiment(), experiment.resolved(), Files.readString(file), results,
                    experiment.experiment().cluster(), SlurmSweep.installedLauncher(), false);
            Experiments.refreshResults();
            ClusterWatch.follow();
            return Status.OK_STATUS;
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage();
            return Status.warning("could not submit " + file.getFileName() + ": " + failure);
        }
    }

    /** What was submitted, once the job is done (null if it failed). */
    public SlurmSweep.Submission submission() {
        return submission;
    }

    /** Why the submission failed, in one line, or null. */
    public String failure() {
        return failure;
    }

    public String experimentName() {
        return experiment.experiment().name();
    }
}
