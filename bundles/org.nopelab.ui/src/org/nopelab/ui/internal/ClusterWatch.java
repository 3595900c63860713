package org.nopelab.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.nopelab.core.cluster.SlurmSweep;
import org.nopelab.ui.preferences.Setting;

/**
 * Follows the sweeps handed to Slurm under the results folder: every few seconds (in a Job, never on the UI
 * thread) it reads each one's cell states from squeue and the folders; when cells have finished it gathers the
 * sweep (sweep.json) and shows it in the Sweep view. It stops polling when no cell is queued.
 */
public final class ClusterWatch extends Job {
    static final long PERIOD_MS = 3000;
    private static final ClusterWatch INSTANCE = new ClusterWatch();
    private static final Map<Path, List<SlurmSweep.CellState>> STATES = new ConcurrentHashMap<>();
    private static final Map<Path, String> ERRORS = new ConcurrentHashMap<>();

    private ClusterWatch() {
        super("Follow sweeps on Slurm");
        setSystem(true);
    }

    /** Starts following now (again): after a submission, or when a view asks. */
    public static void follow() {
        INSTANCE.cancel();
        INSTANCE.schedule();
    }

    /** The last cell states read of a submitted sweep, or null before the first poll. */
    public static List<SlurmSweep.CellState> states(Path dir) {
        return STATES.get(dir.toAbsolutePath().normalize());
    }

    /** Why the states of a submitted sweep could not be read (squeue failed), or null. */
    public static String error(Path dir) {
        return ERRORS.get(dir.toAbsolutePath().normalize());
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        boolean queued = false;
        for (Path dir : submitted()) {
            if (monitor.isCanceled()) return Status.CANCEL_STATUS;
            try {
                SlurmSweep.Folder f = SlurmSweep.open(dir);
                List<SlurmSweep.CellState> now = SlurmSweep.status(f);
                List<SlurmSweep.CellState> before = STATES.put(f.dir(), now);
                ERRORS.remove(f.dir());
                long doneBefore = before == null ? -1 : before.stream().filter(SlurmSweep.CellState::finished).count();
                long doneNow = now.stream().filter(SlurmSweep.CellState::finished).count();
                if (doneNow > doneBefore) {
                    SlurmSweep.gather(f);
                    if (before != null) show(f.dir()); // cells finished while we watched: their numbers are in the Sweep view
                }
                queued |= now.stream().anyMatch(SlurmSweep.CellState::queued);
            } catch (IOException | RuntimeException e) {
                ERRORS.put(dir.toAbsolutePath().normalize(), e.getMessage());
            }
        }
        Display display = PlatformUI.isWorkbenchRunning() ? PlatformUI.getWorkbench().getDisplay() : null;
        if (display != null && !display.isDisposed()) display.asyncExec(ClusterWatch::refreshViews);
        if (queued) schedule(PERIOD_MS);
        return Status.OK_STATUS;
    }

    private static List<Path> submitted() {
        Path root = Setting.resultsDir();
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(SlurmSweep::isSubmitted).map(d -> d.toAbsolutePath().normalize()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void show(Path dir) {
        Display display = PlatformUI.getWorkbench().getDisplay();
        display.asyncExec(() -> Runs.show(dir));
    }

    private static void refreshViews() {
        var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (window == null || window.getActivePage() == null) return;
        var runs = window.getActivePage().findView(org.nopelab.ui.views.RunsView.ID);
        if (runs instanceof org.nopelab.ui.views.RunsView v) v.refresh();
    }
}
