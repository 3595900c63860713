package org.nopelab.app;

import java.io.PrintStream;

import org.nopelab.core.monitor.RunMonitor;

/** Progress lines with elapsed time and ETA on the console; Ctrl-C cancels cleanly through a shutdown hook. */
final class ConsoleMonitor implements RunMonitor {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private volatile boolean cancelled;
    private int total, done;
    private double phaseStart; // the ETA extrapolates the current phase only, not the whole run

    ConsoleMonitor(PrintStream out) {
        this.out = out;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public void begin(String task, int totalWork) {
        total = totalWork;
        done = 0;
        phaseStart = seconds();
        log(task);
    }

    @Override
    public void worked(int work, String detail) {
        done += work;
        double elapsed = seconds() - phaseStart;
        String eta = done > 0 && done < total ? String.format(", ETA %.1fs", elapsed / done * (total - done)) : "";
        log(String.format("%3d%% %s%s", total == 0 ? 100 : 100 * done / total, detail, eta));
    }

    @Override
    public void log(String line) {
        out.printf("[%7.1fs] %s%n", seconds(), line);
        out.flush();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
