package org.nopelab.ui.editor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.views.contentoutline.ContentOutlinePage;

/**
 * The Outline of an experiment file: its keys as a tree (model > heads: 4, ...), from indentation so it
 * follows the text while it is still invalid. Selecting a key selects it in the editor.
 */
final class ExperimentOutline extends ContentOutlinePage {
    /** One key of the file: name, the value written on its line (if any), where the key is, nested keys. */
    record Key(String name, String value, int offset, List<Key> children) {
        @Override
        public String toString() {
            return value.isEmpty() ? name : name + ": " + value;
        }
    }

    private final ExperimentEditor editor;

    ExperimentOutline(ExperimentEditor editor) {
        this.editor = editor;
    }

    @Override
    public void createControl(Composite parent) {
        super.createControl(parent);
        TreeViewer tree = getTreeViewer();
        tree.setContentProvider(new ITreeContentProvider() {
            @SuppressWarnings("unchecked")
            @Override public Object[] getElements(Object input) { return ((List<Key>) input).toArray(); }
            @Override public Object[] getChildren(Object e) { return ((Key) e).children().toArray(); }
            @Override public Object getParent(Object e) { return null; }
            @Override public boolean hasChildren(Object e) { return !((Key) e).children().isEmpty(); }
        });
        tree.setLabelProvider(new LabelProvider());
        update();
    }

    /** Re-reads the document; keeps the tree expanded. */
    void update() {
        TreeViewer tree = getTreeViewer();
        IDocument doc = editor.document();
        if (tree == null || tree.getControl().isDisposed() || doc == null) return;
        tree.setInput(keys(doc));
        tree.expandAll();
    }

    @Override
    public void selectionChanged(SelectionChangedEvent event) {
        super.selectionChanged(event);
        if (event.getSelection() instanceof IStructuredSelection s && s.getFirstElement() instanceof Key k) {
            editor.selectAndReveal(k.offset(), k.name().length());
        }
    }

    /** The key tree of a block-style YAML document. */
    static List<Key> keys(IDocument doc) {
        List<Key> roots = new ArrayList<>();
        Deque<int[]> indents = new ArrayDeque<>(); // indent of each open key, parallel to open
        Deque<Key> open = new ArrayDeque<>();
        for (int line = 0; line < doc.getNumberOfLines(); line++) {
            try {
                String text = YamlPath.text(doc, line);
                String name = YamlPath.key(text);
                if (name == null) continue;
                int indent = YamlPath.indentOf(text);
                while (!indents.isEmpty() && indents.peek()[0] >= indent) {
                    indents.pop();
                    open.pop();
                }
                String rest = text.substring(text.indexOf(':') + 1).replaceFirst("\\s+#.*$", "").trim();
                IRegion r = doc.getLineInformation(line);
                Key k = new Key(name, rest, r.getOffset() + text.indexOf(name), new ArrayList<>());
                (open.isEmpty() ? roots : open.peek().children()).add(k);
                indents.push(new int[] {indent});
                open.push(k);
            } catch (BadLocationException e) {
                break;
            }
        }
        return roots;
    }
}
