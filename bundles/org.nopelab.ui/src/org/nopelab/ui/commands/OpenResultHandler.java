package org.nopelab.ui.commands;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.ui.internal.Runs;

/**
 * Open Result: the result folder that holds the navigator's selection (any file or folder inside it, the
 * outermost for a paired result), else one chosen in a directory dialog; shown in the Similarity view.
 */
public final class OpenResultHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        Path selected = Selections.selectedPath(event);
        if (selected == null) {
            DirectoryDialog dialog = new DirectoryDialog(HandlerUtil.getActiveShell(event));
            dialog.setText("Open a NoPE Lab result folder");
            String dir = dialog.open();
            if (dir == null) return null;
            selected = Path.of(dir);
        }
        Path result = enclosingResult(selected);
        if (result == null) {
            MessageDialog.openInformation(HandlerUtil.getActiveShell(event), "Open Result",
                    selected + " is not inside a NoPE Lab result folder (one with metrics.json, comparison.json or sweep.json).");
            return null;
        }
        Runs.show(result);
        return result;
    }

    /** The outermost result folder containing p (a paired result rather than one of its subjects), or null. */
    static Path enclosingResult(Path p) {
        Path found = null;
        for (Path d = p.toAbsolutePath(); d != null; d = d.getParent()) {
            if (ResultFolder.isResult(d) || org.nopelab.core.run.SweepRunner.isSweep(d)) found = d;
            else if (found != null && !d.getFileName().toString().equals("subjects")) break;
        }
        return found;
    }
}
