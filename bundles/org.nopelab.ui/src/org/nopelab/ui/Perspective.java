package org.nopelab.ui;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.ui.console.IConsoleConstants;
import org.nopelab.ui.views.RunsView;
import org.nopelab.ui.views.SimilarityView;

/** The NoPE Lab layout: results on top; runs and their console below (the experiment editor comes later). */
public final class Perspective implements IPerspectiveFactory {
    public static final String ID = "org.nopelab.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.setEditorAreaVisible(false);
        layout.addView(SimilarityView.ID, IPageLayout.TOP, 0.75f, layout.getEditorArea());
        IFolderLayout bottom = layout.createFolder("org.nopelab.ui.bottom", IPageLayout.BOTTOM, 0.72f, SimilarityView.ID);
        bottom.addView(RunsView.ID);
        bottom.addView(IConsoleConstants.ID_CONSOLE_VIEW);
        layout.getViewLayout(SimilarityView.ID).setCloseable(false);
    }
}
