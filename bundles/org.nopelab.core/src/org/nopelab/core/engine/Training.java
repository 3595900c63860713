package org.nopelab.core.engine;

import java.util.Map;

import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/**
 * A model being trained: the engine holds its parameters and Adam moments between steps (the ND4J engine in
 * native memory, so a step copies nothing between Java and native code but the batch and a few numbers).
 */
public interface Training extends AutoCloseable {
    /** What one step did. applied is false when loss or gradient norm was not finite: the weights are unchanged. */
    record Step(double loss, double gradNorm, int[][] predictions, boolean applied) {}

    /** Forward, backward, global-norm clipping and one Adam update at learning rate lr. */
    Step step(Batch batch, double lr);

    /** Argmax predictions at every position with the current weights (no gradients). */
    int[][] predict(int[][] tokens);

    /** A copy of the current weights under the model's names. */
    ModelWeights weights();

    /** A copy of the optimizer moments, "adam.m.NAME" / "adam.v.NAME", float32 as PyTorch keeps them. */
    Map<String, Tensor> optimizerState();

    /** Updates done so far (resumed ones included). */
    int steps();

    @Override
    void close();
}
