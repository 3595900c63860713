package org.nopelab.ui;

import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.ui.console.IConsoleConstants;
import org.nopelab.ui.views.SimilarityView;

/** The NoPE Lab layout: results on top, the runs console below (the editor and more views come later). */
public final class Perspective implements IPerspectiveFactory {
    public static final String ID = "org.nopelab.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.setEditorAreaVisible(false);
        layout.addView(SimilarityView.ID, IPageLayout.TOP, 0.75f, layout.getEditorArea());
        layout.addView(IConsoleConstants.ID_CONSOLE_VIEW, IPageLayout.BOTTOM, 0.78f, SimilarityView.ID);
        layout.getViewLayout(SimilarityView.ID).setCloseable(false);
    }
}
