package org.nopelab.ui.editor;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.forms.editor.FormEditor;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.ide.IGotoMarker;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;

/**
 * The experiment editor as Eclipse shows it: an "Overview" form page for the common fields beside the
 * "Source" page (the validated YAML text editor); both edit the same document, so they stay in sync.
 */
public final class ExperimentFormEditor extends FormEditor {
    public static final String ID = "org.nopelab.ui.editor.experiment";

    private ExperimentEditor source;
    private ExperimentFormPage overview;

    @Override
    protected void addPages() {
        try {
            source = new ExperimentEditor();
            int sourcePage = addPage(source, getEditorInput());
            setPageText(sourcePage, "Source");
            overview = new ExperimentFormPage(this, source);
            addPage(0, overview);
            setPartName(source.getPartName());
            setActivePage(getPageCount() - 1); // the Source first: its comments document the choices
        } catch (PartInitException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Source page: the validated text editor. */
    public ExperimentEditor source() {
        return source;
    }

    /** The Overview page (its controls exist once it has been shown). */
    public ExperimentFormPage overview() {
        return overview;
    }

    @Override
    public void doSave(IProgressMonitor monitor) {
        source.doSave(monitor);
    }

    @Override
    public void doSaveAs() {
        source.doSaveAs();
        setInput(source.getEditorInput());
    }

    @Override
    public boolean isSaveAsAllowed() {
        return true;
    }

    @Override
    public <T> T getAdapter(Class<T> type) {
        if (type == IContentOutlinePage.class) return source.getAdapter(type);
        if (type == ExperimentEditor.class) return type.cast(source);
        if (type == IGotoMarker.class) {
            // a problem is a place in the text: show the Source page, then go there
            return type.cast((IGotoMarker) marker -> {
                setActiveEditor(source);
                IDE.gotoMarker(source, marker);
            });
        }
        return super.getAdapter(type);
    }
}
