package org.nopelab.ui;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.ui.console.IConsoleConstants;
import org.nopelab.ui.views.RunsView;
import org.nopelab.ui.views.SimilarityView;

/** The NoPE Lab layout: experiment editor left, results right; runs, problems and the runs console below. */
public final class Perspective implements IPerspectiveFactory {
    public static final String ID = "org.nopelab.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        layout.addView(SimilarityView.ID, IPageLayout.RIGHT, 0.35f, editors);
        IFolderLayout bottom = layout.createFolder("org.nopelab.ui.bottom", IPageLayout.BOTTOM, 0.72f, editors);
        bottom.addView(RunsView.ID);
        bottom.addView(IPageLayout.ID_PROBLEM_VIEW);
        bottom.addView(IConsoleConstants.ID_CONSOLE_VIEW);
        layout.getViewLayout(SimilarityView.ID).setCloseable(false);
    }
}
