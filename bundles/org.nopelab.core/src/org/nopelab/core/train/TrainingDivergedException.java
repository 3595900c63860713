package org.nopelab.core.train;

/** The loss or the gradients became NaN or infinite; the run stops and the last good checkpoint is kept. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
