package org.nopelab.ui.commands;

import java.nio.file.Path;

import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.handlers.HandlerUtil;

/** The file-system path of the resource a command was invoked on (navigator selection), or null. */
final class Selections {
    private Selections() {}

    /**
     * The experiment a command acts on: the one in the active experiment editor (saved first, as Eclipse's launch
     * does), else the file selected in the navigator, else one chosen in a file dialog titled title; null if none.
     */
    static Path experimentFile(ExecutionEvent event, String title) {
        Path file = null;
        org.eclipse.ui.IWorkbenchPart part = HandlerUtil.getActivePart(event);
        org.eclipse.ui.IEditorPart editor = HandlerUtil.getActiveEditor(event);
        if (!(part instanceof org.nopelab.ui.editor.ExperimentFormEditor)) file = selectedPath(event);
        if (file == null && editor instanceof org.nopelab.ui.editor.ExperimentFormEditor form && form.source().file() != null) {
            org.nopelab.ui.editor.ExperimentEditor e = form.source();
            if (e.isDirty()) e.doSave(null);
            file = e.file().getLocation().toPath();
        }
        if (file == null) {
            org.eclipse.swt.widgets.FileDialog dialog = new org.eclipse.swt.widgets.FileDialog(HandlerUtil.getActiveShell(event), org.eclipse.swt.SWT.OPEN);
            dialog.setText(title);
            dialog.setFilterExtensions(new String[] {"*.yaml;*.yml;*.json", "*"});
            String chosen = dialog.open();
            if (chosen == null) return null;
            file = Path.of(chosen);
        }
        return file;
    }

    static Path selectedPath(ExecutionEvent event) {
        ISelection s = HandlerUtil.getCurrentSelection(event);
        if (!(s instanceof IStructuredSelection ss) || ss.size() != 1) return null;
        IResource r = Adapters.adapt(ss.getFirstElement(), IResource.class);
        return r == null || r.getLocation() == null ? null : r.getLocation().toPath();
    }
}
