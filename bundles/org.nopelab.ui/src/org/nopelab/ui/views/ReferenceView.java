package org.nopelab.ui.views;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.part.ViewPart;
import org.nopelab.core.experiment.ExperimentSchema;
import org.nopelab.ui.editor.ExperimentAssist;

/**
 * Help > Experiment File Reference: every field of the experiment schema with its default, allowed values and
 * documentation, read from the schema itself (the same text as the editor's hovers and the README table).
 */
public final class ReferenceView extends ViewPart {
    public static final String ID = "org.nopelab.ui.views.reference";

    /** One schema field at a dotted path; list items ("subjects[]") expand into their own fields. */
    public record Field(String path, String name, JsonNode schema) {
        List<Field> children() {
            JsonNode s = schema.has("items") ? schema.get("items") : schema;
            List<Field> out = new ArrayList<>();
            s.path("properties").fields().forEachRemaining(e -> out.add(new Field(
                    (path.isEmpty() ? "" : path + (schema.has("items") ? "[]." : ".")) + e.getKey(), e.getKey(), e.getValue())));
            return out;
        }
    }

    private TreeViewer tree;

    @Override
    public void createPartControl(Composite parent) {
        tree = new TreeViewer(parent, SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        tree.getTree().setHeaderVisible(true);
        tree.getTree().setLinesVisible(true);
        column("Field", 200, Field::name);
        column("Default", 110, f -> ExperimentAssist.defaultValue(f.schema()));
        column("Allowed", 200, f -> ExperimentAssist.allowed(f.schema()));
        column("Description", 600, f -> f.schema().path("description").asText(""));
        tree.setContentProvider(new ITreeContentProvider() {
            @Override public Object[] getElements(Object input) { return ((Field) input).children().toArray(); }
            @Override public Object[] getChildren(Object e) { return ((Field) e).children().toArray(); }
            @Override public Object getParent(Object e) { return null; }
            @Override public boolean hasChildren(Object e) { return !((Field) e).children().isEmpty(); }
        });
        org.eclipse.jface.viewers.ColumnViewerToolTipSupport.enableFor(tree);
        tree.setInput(new Field("", "experiment", ExperimentSchema.root()));
        tree.expandToLevel(2);
    }

    private void column(String title, int width, Function<Field, String> text) {
        TreeViewerColumn c = new TreeViewerColumn(tree, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override public String getText(Object element) { return text.apply((Field) element); }
            @Override public String getToolTipText(Object element) { return ExperimentAssist.doc(((Field) element).schema()); }
        });
    }

    /** The dotted paths of every field shown, depth first, for tests. */
    public List<String> paths() {
        List<String> out = new ArrayList<>();
        collect((Field) tree.getInput(), out);
        return out;
    }

    private static void collect(Field f, List<String> out) {
        for (Field c : f.children()) {
            out.add(c.path());
            collect(c, out);
        }
    }

    @Override
    public void setFocus() {
        tree.getControl().setFocus();
    }
}
