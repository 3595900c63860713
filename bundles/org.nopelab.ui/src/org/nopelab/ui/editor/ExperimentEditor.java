package org.nopelab.ui.editor;

import java.util.List;
import java.util.ListResourceBundle;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentListener;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.contentassist.ContentAssistant;
import org.eclipse.jface.text.contentassist.IContentAssistant;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.editors.text.TextEditor;
import org.eclipse.ui.editors.text.TextSourceViewerConfiguration;
import org.eclipse.ui.texteditor.ContentAssistAction;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.eclipse.ui.texteditor.ITextEditorActionDefinitionIds;

/**
 * The Source page of the experiment editor ({@link ExperimentFormEditor}): YAML text validated as you type (markers in the ruler and the Problems view,
 * the same messages as the headless run), content assist for keys and values, and hovers with each field's
 * documentation, all from the experiment schema.
 */
public final class ExperimentEditor extends TextEditor {
    static final long VALIDATION_DELAY_MS = 300;

    private final ExperimentAssist assist = new ExperimentAssist();
    private final IDocumentListener revalidate = new IDocumentListener() {
        @Override public void documentAboutToBeChanged(DocumentEvent e) {}
        @Override public void documentChanged(DocumentEvent e) {
            validate(VALIDATION_DELAY_MS);
            if (outline != null) outline.update();
        }
    };
    private ExperimentOutline outline;

    @Override
    protected void initializeEditor() {
        super.initializeEditor();
        setSourceViewerConfiguration(new TextSourceViewerConfiguration(getPreferenceStore()) {
            @Override
            public IContentAssistant getContentAssistant(ISourceViewer viewer) {
                ContentAssistant a = new ContentAssistant();
                a.setContentAssistProcessor(assist, IDocument.DEFAULT_CONTENT_TYPE);
                a.enableAutoActivation(true);
                a.setInformationControlCreator(getInformationControlCreator(viewer));
                return a;
            }

            @Override
            public ITextHover getTextHover(ISourceViewer viewer, String contentType) {
                return assist;
            }
        });
    }

    @Override
    protected void createActions() {
        super.createActions();
        // Ctrl+Space: the text editor binds the command; the editor supplies the action behind it
        ContentAssistAction assistAction = new ContentAssistAction(new Messages(), "ContentAssist.", this);
        assistAction.setActionDefinitionId(ITextEditorActionDefinitionIds.CONTENT_ASSIST_PROPOSALS);
        setAction("ContentAssist", assistAction);
    }

    @Override
    protected void doSetInput(IEditorInput input) throws CoreException {
        IDocument old = document();
        if (old != null) old.removeDocumentListener(revalidate);
        super.doSetInput(input);
        IDocument doc = document();
        if (doc != null) {
            doc.addDocumentListener(revalidate);
            validate(0);
        }
    }

    /** Re-validates after a pause; returns immediately. */
    void validate(long delay) {
        IDocument doc = document();
        if (doc != null && getEditorInput() instanceof IFileEditorInput in) ExperimentMarkers.schedule(in.getFile(), doc, delay);
    }

    public IDocument document() {
        return getDocumentProvider() == null || getEditorInput() == null ? null : getDocumentProvider().getDocument(getEditorInput());
    }

    public IFile file() {
        return getEditorInput() instanceof IFileEditorInput in ? in.getFile() : null;
    }

    @Override
    public <T> T getAdapter(Class<T> type) {
        if (type == IContentOutlinePage.class) {
            if (outline == null) outline = new ExperimentOutline(this);
            return type.cast(outline);
        }
        return super.getAdapter(type);
    }

    /** The outline's key tree, for tests. */
    public List<String> outlineKeys() {
        IDocument doc = document();
        return doc == null ? List.of() : flatten(ExperimentOutline.keys(doc), "");
    }

    private static List<String> flatten(List<ExperimentOutline.Key> keys, String prefix) {
        List<String> out = new java.util.ArrayList<>();
        for (ExperimentOutline.Key k : keys) {
            out.add(prefix + k.name());
            out.addAll(flatten(k.children(), prefix + k.name() + "."));
        }
        return out;
    }

    /** Labels of the editor's actions (TextEditorAction reads them from a bundle). */
    public static final class Messages extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            return new Object[][] {{"ContentAssist.label", "Content Assist"}, {"ContentAssist.tooltip", "Content Assist"},
                {"ContentAssist.description", "Proposes keys and values from the experiment schema"}};
        }
    }

    /** Nested in the form editor, closing means closing that editor. */
    @Override
    public void close(boolean save) {
        if (getSite() instanceof org.eclipse.ui.part.MultiPageEditorSite nested) {
            getSite().getPage().closeEditor(nested.getMultiPageEditor(), save);
        } else {
            super.close(save);
        }
    }

    @Override
    public void dispose() {
        IDocument doc = document();
        if (doc != null) doc.removeDocumentListener(revalidate);
        super.dispose();
    }
}
