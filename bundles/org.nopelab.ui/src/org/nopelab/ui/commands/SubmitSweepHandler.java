package org.nopelab.ui.commands;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.nopelab.core.experiment.ClusterConfig;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;
import org.nopelab.ui.internal.SubmitSweepJob;
import org.nopelab.ui.preferences.Setting;

/**
 * Submit Sweep to Cluster...: the experiment chosen as Run Experiment chooses it, handed to Slurm as one job
 * array into the results folder, after the user confirms what will be asked for. Slurm is called in a Job.
 */
public final class SubmitSweepHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        Path file = Selections.experimentFile(event, "Submit a NoPE Lab sweep to Slurm");
        if (file == null) return null;
        ExperimentReader.Result r = ExperimentReader.read(file);
        if (r.experiment() == null) {
            Problem p = r.problems().stream().filter(x -> x.severity() == Problem.Severity.error).findFirst().orElseThrow();
            MessageDialog.openError(HandlerUtil.getActiveShell(event), "Cannot submit", p.format(file.getFileName().toString()));
            return null;
        }
        if (!r.experiment().isSweep()) {
            MessageDialog.openInformation(HandlerUtil.getActiveShell(event), "Not a sweep",
                    file.getFileName() + " has no sweep section: there are no cells to hand to a cluster. Use Run Experiment.");
            return null;
        }
        ClusterConfig c = r.experiment().cluster();
        String ask = String.format("Submit %d cells of %s to Slurm, one array task each, into%n%s?%n%npartition %s, time %s, %d CPUs, %s memory, at most %d at once"
                + " (the file's cluster section). The results folder must be one every node sees.", r.experiment().sweep().cells().size(),
                r.experiment().name(), Setting.resultsDir(), c.partition().isEmpty() ? "(default)" : c.partition(), c.time(), c.cpus(), c.mem(), c.maxParallel());
        if (!SubmitSweepJob.confirm(HandlerUtil.getActiveShell(event), ask)) return null;
        SubmitSweepJob job = new SubmitSweepJob(file, r, Setting.resultsDir());
        job.schedule();
        return job;
    }
}
