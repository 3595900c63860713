package org.nopelab.core.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.nopelab.core.monitor.RunMonitor;

/** A monitor that keeps every log line (and may look at the world when one arrives); it never cancels. */
public final class RecordingMonitor implements RunMonitor {
    public final List<String> lines = new ArrayList<>();
    private final Consumer<String> onLine;

    public RecordingMonitor() {
        this(line -> {});
    }

    public RecordingMonitor(Consumer<String> onLine) {
        this.onLine = onLine;
    }

    @Override public void begin(String task, int totalWork) {}
    @Override public void worked(int work, String detail) {}
    @Override public void log(String line) { lines.add(line); onLine.accept(line); }
    @Override public boolean isCancelled() { return false; }
}
