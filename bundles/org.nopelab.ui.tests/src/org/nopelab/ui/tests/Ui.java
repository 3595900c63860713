package org.nopelab.ui.tests;

import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;

/** Waiting inside the UI thread: keeps the event loop running so jobs, asyncExecs and paints happen. */
final class Ui {
    private Ui() {}

    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    /**
     * Generous on purpose: a wait ends as soon as its condition holds, so the limit only matters when the
     * condition never comes, and the suite must pass with both cores busy.
     */
    static final long PATIENCE = 60_000;

    /**
     * Runs the assertions, pumping events in between, until they pass or {@link #PATIENCE} runs out; then the last
     * failure is thrown. A wait on the condition itself, never a fixed pause.
     */
    static void eventually(Runnable assertions) {
        Display display = Display.getCurrent();
        long end = System.currentTimeMillis() + PATIENCE;
        while (true) {
            try {
                assertions.run();
                return;
            } catch (AssertionError | RuntimeException notYet) {
                if (System.currentTimeMillis() > end) throw notYet;
            }
            if (!display.readAndDispatch()) {
                try { Thread.sleep(10); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new AssertionError(e); }
            }
        }
    }

    /** Pumps events until the condition holds; fails with the message if it does not within {@link #PATIENCE}. */
    static void waitFor(String what, BooleanSupplier condition) {
        if (!until(condition, PATIENCE)) throw new AssertionError("waited " + PATIENCE / 1000 + " s for: " + what);
    }

    /** Pumps events until the condition holds or the timeout passes; returns whether it held. */
    private static boolean until(BooleanSupplier condition, long timeoutMillis) {
        Display display = Display.getCurrent();
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) return false;
            if (!display.readAndDispatch()) {
                try { Thread.sleep(10); } catch (InterruptedException e) { Thread.currentThread().interrupt(); return false; }
            }
        }
        return true;
    }
}
