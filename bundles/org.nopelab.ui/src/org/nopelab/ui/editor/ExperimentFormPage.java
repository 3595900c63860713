package org.nopelab.ui.editor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.core.databinding.DataBindingContext;
import org.eclipse.core.databinding.UpdateValueStrategy;
import org.eclipse.core.databinding.conversion.IConverter;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.core.databinding.observable.value.WritableValue;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceChangeListener;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.jface.fieldassist.ControlDecoration;
import org.eclipse.jface.fieldassist.FieldDecorationRegistry;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentListener;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.forms.IManagedForm;
import org.eclipse.ui.forms.editor.FormPage;
import org.eclipse.ui.forms.widgets.ExpandableComposite;
import org.eclipse.ui.forms.widgets.FormToolkit;
import org.eclipse.ui.forms.widgets.ScrolledForm;
import org.eclipse.ui.forms.widgets.Section;
import org.nopelab.core.experiment.ExperimentSchema;

/**
 * The "Overview" page: the common fields of an experiment as a form (Eclipse Forms), each bound (JFace data
 * binding) to a value that mirrors its line in the text. Typing in the form rewrites that line; typing in the
 * Source page refreshes the form. An empty field removes the key, so its default (shown greyed) applies.
 * Problems come from the same validation as the Source page: a field shows the marker of its key.
 */
public final class ExperimentFormPage extends FormPage {
    public static final String ID = "org.nopelab.ui.editor.overview";

    /** The sections and the fields they show, by schema path. */
    static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();
    static {
        SECTIONS.put("Experiment", List.of("name", "description", "seed", "data_seed"));
        SECTIONS.put("Model", List.of("model.vocab_size", "model.d_model", "model.heads", "model.layers", "model.d_ff", "model.activation",
                "model.layer_norm", "model.residual", "model.pe", "model.attention", "model.init.scheme", "model.init.std"));
        SECTIONS.put("Input", List.of("input.distribution", "input.seq_len", "input.samples"));
        SECTIONS.put("Training", List.of("task.name", "train.steps", "train.batch_size", "train.lr"));
        SECTIONS.put("Analysis", List.of("analysis.batch_size", "analysis.probes"));
    }

    private final ExperimentEditor source;
    private final Map<String, IObservableValue<String>> values = new LinkedHashMap<>();
    private final Map<String, Control> controls = new LinkedHashMap<>();
    private final Map<String, ControlDecoration> decorations = new LinkedHashMap<>();
    private DataBindingContext binding;
    private boolean writing, reading;

    private final IDocumentListener reread = new IDocumentListener() {
        @Override public void documentAboutToBeChanged(DocumentEvent e) {}
        @Override public void documentChanged(DocumentEvent e) {
            if (!writing) read();
        }
    };
    private final IResourceChangeListener markersChanged = e -> {
        if (e.findMarkerDeltas(ExperimentMarkers.TYPE, false).length > 0 && controls.size() > 0) {
            Control any = controls.values().iterator().next();
            if (!any.isDisposed()) any.getDisplay().asyncExec(this::showProblems);
        }
    };

    public ExperimentFormPage(ExperimentFormEditor editor, ExperimentEditor source) {
        super(editor, ID, "Overview");
        this.source = source;
    }

    @Override
    protected void createFormContent(IManagedForm managed) {
        ScrolledForm form = managed.getForm();
        FormToolkit kit = managed.getToolkit();
        form.setText("Experiment");
        kit.decorateFormHeading(form.getForm());
        form.getBody().setLayout(new GridLayout(2, true));
        binding = new DataBindingContext();
        for (var section : SECTIONS.entrySet()) {
            Section s = kit.createSection(form.getBody(), ExpandableComposite.TITLE_BAR | ExpandableComposite.TWISTIE | ExpandableComposite.EXPANDED);
            s.setText(section.getKey());
            s.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
            Composite client = kit.createComposite(s);
            client.setLayout(new GridLayout(2, false));
            for (String path : section.getValue()) field(kit, client, path);
            kit.paintBordersFor(client);
            s.setClient(client);
        }
        IDocument doc = source.document();
        if (doc != null) doc.addDocumentListener(reread);
        ResourcesPlugin.getWorkspace().addResourceChangeListener(markersChanged, IResourceChangeEvent.POST_CHANGE);
        read();
        showProblems();
    }

    private void field(FormToolkit kit, Composite client, String path) {
        JsonNode schema = ExperimentSchema.field(List.of(path.split("\\.")));
        if (schema == null) return;
        String label = path.equals("task.name") ? "task" : path.substring(path.indexOf('.') + 1);
        kit.createLabel(client, label + ":").setToolTipText(ExperimentAssist.doc(schema));
        String def = ExperimentAssist.defaultValue(schema).replace("\"", "");
        Control control;
        IObservableValue<String> widget;
        UpdateValueStrategy<String, String> toModel = null, toWidget = null;
        if (schema.has("enum") || "boolean".equals(schema.path("type").asText())) {
            Combo combo = new Combo(client, SWT.READ_ONLY | SWT.DROP_DOWN);
            // the first item stands for "key not written": the default applies
            String unset = "default (" + def + ")";
            List<String> items = new ArrayList<>(List.of(unset));
            toModel = UpdateValueStrategy.create(IConverter.create(String.class, String.class, (String v) -> unset.equals(v) ? "" : v));
            toWidget = UpdateValueStrategy.create(IConverter.create(String.class, String.class, (String v) -> v == null || v.isEmpty() ? unset : v));
            if (schema.has("enum")) schema.get("enum").forEach(v -> items.add(v.asText()));
            else items.addAll(List.of("true", "false"));
            combo.setItems(items.toArray(String[]::new));
            kit.adapt(combo, true, false);
            widget = WidgetProperties.comboSelection().observe(combo);
            control = combo;
        } else {
            Text text = kit.createText(client, "", SWT.SINGLE);
            text.setMessage(def.isEmpty() ? "" : "default: " + def);
            widget = WidgetProperties.text(SWT.Modify).observe(text);
            control = text;
        }
        control.setToolTipText(ExperimentAssist.doc(schema) + "\nEmpty = the default.");
        GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false);
        d.widthHint = 120;
        control.setLayoutData(d);
        WritableValue<String> value = new WritableValue<>("", String.class);
        binding.bindValue(widget, value, toModel, toWidget);
        value.addValueChangeListener(e -> write(path, e.diff.getNewValue()));
        values.put(path, value);
        controls.put(path, control);
        ControlDecoration problem = new ControlDecoration(control, SWT.LEFT | SWT.TOP);
        problem.setImage(FieldDecorationRegistry.getDefault().getFieldDecoration(FieldDecorationRegistry.DEC_ERROR).getImage());
        problem.hide();
        decorations.put(path, problem);
    }

    /** Text -> form: every field from its line. */
    private void read() {
        IDocument doc = source.document();
        if (doc == null) return;
        reading = true;
        try {
            List<ExperimentOutline.Key> keys = ExperimentOutline.keys(doc); // parsed once for all fields
            for (var e : values.entrySet()) {
                List<String> path = List.of(e.getKey().split("\\."));
                String v = YamlEdit.get(keys, path);
                if (!v.equals(e.getValue().getValue())) e.getValue().setValue(v);
                Control c = controls.get(e.getKey());
                boolean editable = !YamlEdit.flowStyle(keys, path);
                c.setEnabled(editable);
                if (!editable) c.setToolTipText("This section is written in flow style ({...}): edit it on the Source page.");
            }
        } finally {
            reading = false;
        }
    }

    /** Form -> text: the field's line only. */
    private void write(String path, String value) {
        IDocument doc = source.document();
        if (reading || doc == null) return;
        writing = true;
        try {
            YamlEdit.set(doc, Arrays.asList(path.split("\\.")), value == null ? "" : value.trim());
        } catch (BadLocationException e) {
            throw new IllegalStateException(e);
        } finally {
            writing = false;
        }
    }

    /** Each field shows the problem marker of its key, if any (the same messages as the Source page). */
    private void showProblems() {
        decorations.values().forEach(ControlDecoration::hide);
        if (source.file() == null) return;
        try {
            for (IMarker m : source.file().findMarkers(ExperimentMarkers.TYPE, false, IResource.DEPTH_ZERO)) {
                String message = m.getAttribute(IMarker.MESSAGE, "");
                for (var e : decorations.entrySet()) {
                    if (message.startsWith(e.getKey() + ":") && !e.getValue().getControl().isDisposed()) {
                        e.getValue().setDescriptionText(message);
                        e.getValue().show();
                    }
                }
            }
        } catch (CoreException e) {
            // the file went away; nothing to show
        }
    }

    /** Sets a field as a user would, for tests. */
    public void setField(String path, String value) {
        values.get(path).setValue(value);
    }

    /** A field's value as shown, for tests. */
    public String field(String path) {
        return values.get(path).getValue();
    }

    /** Whether a field shows a problem, for tests. */
    public boolean showsProblem(String path) {
        return decorations.get(path).isVisible();
    }

    @Override
    public void dispose() {
        IDocument doc = source.document();
        if (doc != null) doc.removeDocumentListener(reread);
        ResourcesPlugin.getWorkspace().removeResourceChangeListener(markersChanged);
        if (binding != null) binding.dispose();
        super.dispose();
    }
}
