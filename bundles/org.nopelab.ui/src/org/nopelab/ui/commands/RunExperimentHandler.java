package org.nopelab.ui.commands;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.handlers.HandlerUtil;
import org.nopelab.ui.editor.ExperimentEditor;
import org.nopelab.ui.editor.ExperimentFormEditor;
import org.nopelab.ui.internal.Runs;

/**
 * Run Experiment (Ctrl+F11): the experiment in the active experiment editor (saved first, as Eclipse's launch
 * does), else the experiment file selected in the navigator, else one chosen in a file dialog.
 */
public final class RunExperimentHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        Path file = null;
        IWorkbenchPart part = HandlerUtil.getActivePart(event);
        IEditorPart editor = HandlerUtil.getActiveEditor(event);
        if (!(part instanceof ExperimentFormEditor)) file = Selections.selectedPath(event);
        if (file == null && editor instanceof ExperimentFormEditor form && form.source().file() != null) {
            ExperimentEditor e = form.source();
            if (e.isDirty()) e.doSave(null);
            file = e.file().getLocation().toPath();
        }
        if (file == null) {
            FileDialog dialog = new FileDialog(HandlerUtil.getActiveShell(event), SWT.OPEN);
            dialog.setText("Run a NoPE Lab experiment");
            dialog.setFilterExtensions(new String[] {"*.yaml;*.yml;*.json", "*"});
            String chosen = dialog.open();
            if (chosen == null) return null;
            file = Path.of(chosen);
        }
        return Runs.start(file);
    }
}
