package org.nopelab.ui.editor;

import java.nio.file.Path;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;

/**
 * The "Experiments" project of the workspace. Experiment files anywhere on disk are linked into it, so they
 * are workspace files: their problems become markers that the Problems view lists.
 */
public final class Experiments {
    public static final String PROJECT = "Experiments";

    private Experiments() {}

    public static IProject project() throws CoreException {
        IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject(PROJECT);
        if (!p.exists()) p.create(null);
        if (!p.isOpen()) p.open(null);
        return p;
    }

    /** The workspace file for a file on disk: the existing link to it, or a new link with a free name. */
    public static IFile link(Path file) throws CoreException {
        IProject p = project();
        IPath location = IPath.fromOSString(file.toAbsolutePath().normalize().toString());
        String name = file.getFileName().toString();
        IFile f = p.getFile(name);
        for (int i = 2; f.exists() && !location.equals(f.getLocation()); i++) f = p.getFile(name.replaceFirst("(\\.[^.]*)?$", "-" + i + "$1"));
        if (!f.exists()) f.createLink(location, IResource.REPLACE, null);
        return f;
    }
}
