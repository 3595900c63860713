package org.nopelab.ui.internal;

import java.nio.file.Path;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.nopelab.ui.editor.Experiments;
import org.nopelab.ui.preferences.Setting;
import org.nopelab.ui.views.SimilarityView;

/** The one way the workbench starts a run: into the result location, its result shown when it is done. */
public final class Runs {
    private Runs() {}

    /** Schedules a run; when it succeeds the results folder is refreshed and the result opens in the Similarity view. */
    public static RunExperimentJob start(Path experiment) {
        RunExperimentJob job = new RunExperimentJob(experiment, Setting.resultsDir(), dir -> {
            Experiments.refreshResults();
            Display display = PlatformUI.getWorkbench().getDisplay();
            display.asyncExec(() -> show(dir));
        });
        job.schedule();
        return job;
    }

    /** Opens a result folder in the Similarity view (a sweep's folder in the Sweep view) of the active (or first) window. */
    public static void show(Path dir) {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (window == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) window = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        if (window == null || window.getActivePage() == null) return;
        IWorkbenchPage page = window.getActivePage();
        try {
            if (org.nopelab.core.run.SweepRunner.isSweep(dir)) ((org.nopelab.ui.views.SweepView) page.showView(org.nopelab.ui.views.SweepView.ID)).open(dir);
            else ((SimilarityView) page.showView(SimilarityView.ID, null, IWorkbenchPage.VIEW_VISIBLE)).open(dir);
        } catch (PartInitException e) {
            throw new IllegalStateException(e);
        }
    }
}
