package org.nopelab.core.engine;



/**
 * One batch of a task: input tokens, the token to predict at each position, and which positions count
 * (weight 1) in the loss and accuracy, e.g. only the answer digits of an addition.
 */
public record Batch(int[][] inputs, int[][] targets, float[][] weights) {
    public int size() {
        return inputs.length;
    }

    public int positions() {
        return inputs[0].length;
    }
}
