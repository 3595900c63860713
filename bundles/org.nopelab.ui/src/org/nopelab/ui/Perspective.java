package org.nopelab.ui;

import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.nopelab.ui.views.SimilarityView;

/** The NoPE Lab layout: results fill the window until the editor and runner views arrive. */
public final class Perspective implements IPerspectiveFactory {
    public static final String ID = "org.nopelab.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.setEditorAreaVisible(false);
        layout.addStandaloneView(SimilarityView.ID, true, IPageLayout.LEFT, 1.0f, layout.getEditorArea());
    }
}
