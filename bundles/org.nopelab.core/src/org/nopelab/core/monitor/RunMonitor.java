package org.nopelab.core.monitor;



/** Progress, log and cancellation, so one runner serves the headless launcher and the workbench Jobs. */
public interface RunMonitor {
    void begin(String task, int totalWork);

    void worked(int work, String detail);

    void log(String line);

    boolean isCancelled();

    /** A new point of the training curve (every evaluation interval), so views can draw it while training runs. */
    default void trainingPoint(TrainingPoint row) {}

    /** A monitor that ignores everything and never cancels. */
    RunMonitor NONE = new RunMonitor() {
        @Override public void begin(String task, int totalWork) {}
        @Override public void worked(int work, String detail) {}
        @Override public void log(String line) {}
        @Override public boolean isCancelled() { return false; }
    };
}
