package org.nopelab.ui.commands;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.nopelab.ui.editor.Experiments;

/** File > Open Experiment...: any experiment file on disk, linked into the Experiments project and edited. */
public final class OpenExperimentHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        FileDialog dialog = new FileDialog(HandlerUtil.getActiveShell(event), SWT.OPEN);
        dialog.setText("Open a NoPE Lab experiment");
        dialog.setFilterExtensions(new String[] {"*.yaml;*.yml", "*"});
        String file = dialog.open();
        if (file == null) return null;
        try {
            return Experiments.open(HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage(), Path.of(file));
        } catch (CoreException e) {
            throw new ExecutionException("Cannot open " + file + ": " + e.getMessage(), e);
        }
    }
}
