package org.nopelab.ui.editor;

import org.eclipse.ui.IActionBars;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.actions.ActionFactory;
import org.eclipse.ui.part.MultiPageEditorActionBarContributor;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.texteditor.ITextEditorActionConstants;

/** Hooks Undo, Cut, Copy, Paste, Find, ... of the Edit menu to the Source page while it is active. */
public final class ExperimentEditorContributor extends MultiPageEditorActionBarContributor {
    private static final String[] GLOBAL = {ActionFactory.UNDO.getId(), ActionFactory.REDO.getId(), ActionFactory.CUT.getId(),
        ActionFactory.COPY.getId(), ActionFactory.PASTE.getId(), ActionFactory.DELETE.getId(), ActionFactory.SELECT_ALL.getId(),
        ActionFactory.FIND.getId()};
    private static final String[] TEXT = {ITextEditorActionConstants.UNDO, ITextEditorActionConstants.REDO, ITextEditorActionConstants.CUT,
        ITextEditorActionConstants.COPY, ITextEditorActionConstants.PASTE, ITextEditorActionConstants.DELETE,
        ITextEditorActionConstants.SELECT_ALL, ITextEditorActionConstants.FIND};

    @Override
    public void setActivePage(IEditorPart page) {
        IActionBars bars = getActionBars();
        if (bars == null) return;
        ITextEditor text = page instanceof ITextEditor t ? t : null;
        for (int k = 0; k < GLOBAL.length; k++) bars.setGlobalActionHandler(GLOBAL[k], text == null ? null : text.getAction(TEXT[k]));
        bars.updateActionBars();
    }
}
