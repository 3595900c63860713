package org.nopelab.ui.editor;

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

/**
 * The experiment-file editor: YAML text validated as you type (markers in the ruler and the Problems view,
 * the same messages as the headless run), content assist for keys and values, and hovers with each field's
 * documentation, all from the experiment schema.
 */
public final class ExperimentEditor extends TextEditor {
    public static final String ID = "org.nopelab.ui.editor.experiment";
    static final long VALIDATION_DELAY_MS = 300;

    private final ExperimentAssist assist = new ExperimentAssist();
    private final IDocumentListener revalidate = new IDocumentListener() {
        @Override public void documentAboutToBeChanged(DocumentEvent e) {}
        @Override public void documentChanged(DocumentEvent e) { validate(VALIDATION_DELAY_MS); }
    };

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
    public void dispose() {
        IDocument doc = document();
        if (doc != null) doc.removeDocumentListener(revalidate);
        super.dispose();
    }
}
