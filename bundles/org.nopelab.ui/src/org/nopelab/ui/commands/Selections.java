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

    static Path selectedPath(ExecutionEvent event) {
        ISelection s = HandlerUtil.getCurrentSelection(event);
        if (!(s instanceof IStructuredSelection ss) || ss.size() != 1) return null;
        IResource r = Adapters.adapt(ss.getFirstElement(), IResource.class);
        return r == null || r.getLocation() == null ? null : r.getLocation().toPath();
    }
}
