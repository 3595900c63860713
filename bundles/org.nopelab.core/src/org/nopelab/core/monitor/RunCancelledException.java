package org.nopelab.core.monitor;



/** Thrown out of a run when its monitor reports cancellation; nothing has been written by then. */
public final class RunCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunCancelledException() {
        super("run cancelled");
    }
}
