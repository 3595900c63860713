package org.nopelab.ui.editor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.resources.WorkspaceJob;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;

/**
 * Problem markers for an experiment file: exactly the problems the headless run reports, at their line and
 * column, so they show in the editor ruler and the Problems view.
 */
public final class ExperimentMarkers {
    public static final String TYPE = "org.nopelab.ui.problem";
    /** Marker attribute: the text that fixes the problem when it replaces CHAR_START..CHAR_END. */
    public static final String REPLACEMENT = "org.nopelab.ui.replacement";

    private ExperimentMarkers() {}

    /** The newest validation of each file not yet run: typing replaces it instead of queueing one per keystroke. */
    private static final Map<IFile, WorkspaceJob> PENDING = new ConcurrentHashMap<>();

    /**
     * Validates the text and replaces the file's markers, as a job holding the file's marker rule. A validation
     * of the same file still waiting is cancelled: only the newest text's problems matter, and an older one
     * that is already running finishes before this one (same rule), so the newest markers always win.
     */
    public static WorkspaceJob schedule(IFile file, IDocument doc, long delayMillis) {
        String text = doc.get();
        WorkspaceJob job = new WorkspaceJob("Validate " + file.getName()) {
            @Override
            public IStatus runInWorkspace(IProgressMonitor monitor) throws CoreException {
                PENDING.remove(file, this);
                if (monitor.isCanceled()) return Status.CANCEL_STATUS;
                ExperimentReader.Result read = ExperimentReader.read(text);
                List<Problem> problems = new java.util.ArrayList<>(read.problems());
                // a run this process could not hold: a warning here, refused by Run Experiment and headless runs
                String tooLarge = read.ok() ? org.nopelab.core.run.MemoryEstimate.refusal(read.experiment(), read.resolved()) : null;
                if (tooLarge != null) problems.add(new Problem(Problem.Severity.warning, 1, 1, "", tooLarge));
                update(file, doc, problems);
                return Status.OK_STATUS;
            }
        };
        job.setRule(ResourcesPlugin.getWorkspace().getRuleFactory().markerRule(file));
        job.setSystem(true);
        WorkspaceJob previous = PENDING.put(file, job);
        if (previous != null) previous.cancel();
        job.schedule(delayMillis);
        return job;
    }

    static void update(IFile file, IDocument doc, List<Problem> problems) throws CoreException {
        if (!file.exists()) return;
        file.deleteMarkers(TYPE, false, IResource.DEPTH_ZERO);
        for (Problem p : problems) {
            Map<String, Object> a = new HashMap<>();
            a.put(IMarker.MESSAGE, p.message());
            a.put(IMarker.SEVERITY, p.severity() == Problem.Severity.error ? IMarker.SEVERITY_ERROR : IMarker.SEVERITY_WARNING);
            a.put(IMarker.LINE_NUMBER, p.line());
            a.put(IMarker.LOCATION, "line " + p.line() + ", column " + p.column());
            if (p.replacement() != null) a.put(REPLACEMENT, p.replacement());
            try {
                int start = doc.getLineOffset(Math.min(p.line() - 1, doc.getNumberOfLines() - 1)) + p.column() - 1;
                int end = start;
                while (end < doc.getLength() && !Character.isWhitespace(doc.getChar(end)) && ",}:".indexOf(doc.getChar(end)) < 0) end++;
                a.put(IMarker.CHAR_START, start);
                a.put(IMarker.CHAR_END, Math.max(end, start + 1));
            } catch (BadLocationException e) {
                // the line number alone still places the marker
            }
            file.createMarker(TYPE, a);
        }
    }
}
