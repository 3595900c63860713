package org.nopelab.ui;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.ui.console.IConsoleConstants;
import org.nopelab.ui.views.ReferenceView;
import org.nopelab.ui.views.RunsView;
import org.nopelab.ui.views.SimilarityView;
import org.nopelab.ui.views.SweepView;

/**
 * The NoPE Lab layout: the Project Explorer (experiments and result folders) left, the experiment editor in the
 * middle, results right; runs, problems, the runs console and the outline below.
 */
public final class Perspective implements IPerspectiveFactory {
    public static final String ID = "org.nopelab.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        layout.addView(IPageLayout.ID_PROJECT_EXPLORER, IPageLayout.LEFT, 0.16f, editors);
        IFolderLayout right = layout.createFolder("org.nopelab.ui.right", IPageLayout.RIGHT, 0.36f, editors);
        right.addView(SimilarityView.ID);
        right.addPlaceholder(SweepView.ID); // a sweep's result opens beside the single results
        IFolderLayout bottom = layout.createFolder("org.nopelab.ui.bottom", IPageLayout.BOTTOM, 0.72f, editors);
        bottom.addView(RunsView.ID);
        bottom.addView(IPageLayout.ID_PROBLEM_VIEW);
        bottom.addView(IConsoleConstants.ID_CONSOLE_VIEW);
        bottom.addPlaceholder(ReferenceView.ID);
        layout.addView(IPageLayout.ID_OUTLINE, IPageLayout.BOTTOM, 0.55f, IPageLayout.ID_PROJECT_EXPLORER);
        layout.addShowViewShortcut(IPageLayout.ID_PROJECT_EXPLORER);
        layout.addShowViewShortcut(IPageLayout.ID_OUTLINE);
        layout.addShowViewShortcut(SimilarityView.ID);
        layout.addShowViewShortcut(RunsView.ID);
        layout.addShowViewShortcut(SweepView.ID);
        layout.addShowViewShortcut(ReferenceView.ID);
        layout.addShowViewShortcut(IPageLayout.ID_PROBLEM_VIEW);
        layout.addShowViewShortcut(IConsoleConstants.ID_CONSOLE_VIEW);
        layout.getViewLayout(SimilarityView.ID).setCloseable(false);
    }
}
