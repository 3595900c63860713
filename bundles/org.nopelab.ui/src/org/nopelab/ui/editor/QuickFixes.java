package org.nopelab.ui.editor;

import org.eclipse.core.resources.IMarker;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolutionGenerator2;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;

/** Quick fix for a misspelt key or value: replace it with the nearest valid one the validator suggested. */
public final class QuickFixes implements IMarkerResolutionGenerator2 {
    @Override
    public boolean hasResolutions(IMarker marker) {
        return marker.getAttribute(ExperimentMarkers.REPLACEMENT, null) != null;
    }

    @Override
    public IMarkerResolution[] getResolutions(IMarker marker) {
        String replacement = marker.getAttribute(ExperimentMarkers.REPLACEMENT, null);
        if (replacement == null) return new IMarkerResolution[0];
        return new IMarkerResolution[] {new IMarkerResolution() {
            @Override
            public String getLabel() {
                return "Change to '" + replacement + "'";
            }

            @Override
            public void run(IMarker m) {
                apply(m);
            }
        }};
    }

    /** Replaces the marked text in the file's open editor (opening it if needed). */
    public static void apply(IMarker m) {
        try {
            var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
            if (!(IDE.openEditor(page, m, false) instanceof ExperimentFormEditor form)) return;
            ExperimentEditor editor = form.source();
            IDocument doc = editor.document();
            int start = m.getAttribute(IMarker.CHAR_START, -1), end = m.getAttribute(IMarker.CHAR_END, -1);
            if (start >= 0 && end > start) doc.replace(start, end - start, m.getAttribute(ExperimentMarkers.REPLACEMENT, ""));
        } catch (PartInitException | BadLocationException e) {
            throw new IllegalStateException("quick fix failed: " + e.getMessage(), e);
        }
    }

}
