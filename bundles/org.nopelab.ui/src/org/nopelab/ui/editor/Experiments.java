package org.nopelab.ui.editor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.ide.IDE;
import org.nopelab.ui.preferences.Setting;

/**
 * The "Experiments" project of the workspace, which the Project Explorer shows: a linked folder "results" (the
 * result location), a linked folder "examples" (-Dnopelab.examples, set by the ./nopelab script), and links
 * to experiment files opened from anywhere else. Linked, so files stay where they are on disk and are
 * still workspace files whose problems the Problems view lists.
 */
public final class Experiments {
    public static final String PROJECT = "Experiments";
    public static final String RESULTS = "results";
    public static final String EXAMPLES = "examples";

    private Experiments() {}

    public static IProject project() throws CoreException {
        IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject(PROJECT);
        if (!p.exists()) p.create(null);
        if (!p.isOpen()) p.open(null);
        linkFolder(p, RESULTS, Setting.resultsDir());
        String examples = System.getProperty("nopelab.examples");
        if (examples != null && Files.isDirectory(Path.of(examples))) linkFolder(p, EXAMPLES, Path.of(examples));
        return p;
    }

    /** Points the linked folder at dir (created if missing), re-linking it when the location changed. */
    private static void linkFolder(IProject p, String name, Path dir) throws CoreException {
        IPath location = IPath.fromOSString(dir.toAbsolutePath().normalize().toString());
        IFolder f = p.getFolder(name);
        if (f.exists() && location.equals(f.getLocation())) return;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CoreException(Status.error("cannot create " + dir + ": " + e.getMessage(), e));
        }
        f.createLink(location, IResource.REPLACE | IResource.ALLOW_MISSING_LOCAL, null);
    }

    /** The workspace file for a file on disk: the file inside a linked folder, an existing link, or a new link. */
    public static IFile link(Path file) throws CoreException {
        IProject p = project();
        Path absolute = file.toAbsolutePath().normalize();
        for (IFile known : ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(absolute.toUri())) {
            if (known.getProject().equals(p) && known.exists()) return known;
        }
        IPath location = IPath.fromOSString(absolute.toString());
        String name = file.getFileName().toString();
        IFile f = p.getFile(name);
        for (int i = 2; f.exists() && !location.equals(f.getLocation()); i++) f = p.getFile(name.replaceFirst("(\\.[^.]*)?$", "-" + i + "$1"));
        if (!f.exists()) f.createLink(location, IResource.REPLACE, null);
        return f;
    }

    /** Opens an experiment file from disk in the experiment editor; returns its Source page. */
    public static ExperimentEditor open(IWorkbenchPage page, Path file) throws CoreException {
        return ((ExperimentFormEditor) IDE.openEditor(page, link(file), ExperimentFormEditor.ID)).source();
    }

    /** Re-reads the results folder in the background, so the Project Explorer shows new result folders. */
    public static void refreshResults() {
        Job refresh = Job.create("Refresh NoPE Lab results", monitor -> {
            IContainer results = project().getFolder(RESULTS);
            results.refreshLocal(IResource.DEPTH_INFINITE, monitor);
        });
        refresh.setSystem(true);
        refresh.schedule();
    }
}
