package org.nopelab.core.run;

import org.nopelab.core.monitor.RunMonitor;

/** A monitor that reports cancellation once the given amount of work is done: a user pressing Cancel mid-run. */
public final class CancelAfter implements RunMonitor {
    private final int limit;
    private int done;

    public CancelAfter(int limit) {
        this.limit = limit;
    }

    @Override public void begin(String task, int totalWork) {}
    @Override public void worked(int work, String detail) { done += work; }
    @Override public void log(String line) {}
    @Override public boolean isCancelled() { return done >= limit; }
}
