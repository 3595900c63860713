package org.nopelab.ui.preferences;

import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.nopelab.charts.ColourMap;

/** Window > Preferences > NoPE Lab: result location, engine threads, colour map. */
public final class SettingsPage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {
    public SettingsPage() {
        super(GRID);
        setPreferenceStore(new ScopedPreferenceStore(InstanceScope.INSTANCE, Setting.NODE));
        setDescription("Defaults for runs started in the workbench and for its charts.");
    }

    @Override
    public void init(IWorkbench workbench) {}

    @Override
    protected void createFieldEditors() {
        addField(new DirectoryFieldEditor(Setting.RESULTS.key, "&Result location:", getFieldEditorParent()));
        doc(Setting.RESULTS);
        IntegerFieldEditor threads = new IntegerFieldEditor(Setting.THREADS.key, "Engine &threads:", getFieldEditorParent(), 3);
        threads.setValidRange(0, Runtime.getRuntime().availableProcessors() * 4);
        addField(threads);
        doc(Setting.THREADS);
        String[][] maps = ColourMap.sequential().stream().map(m -> new String[] {m.name(), m.name()}).toArray(String[][]::new);
        addField(new ComboFieldEditor(Setting.COLOUR_MAP.key, "&Colour map:", maps, getFieldEditorParent()));
        doc(Setting.COLOUR_MAP);
    }

    private void doc(Setting s) {
        Label l = new Label(getFieldEditorParent(), SWT.WRAP);
        l.setText(s.doc);
        GridData d = new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1);
        d.widthHint = 420;
        l.setLayoutData(d);
    }
}
