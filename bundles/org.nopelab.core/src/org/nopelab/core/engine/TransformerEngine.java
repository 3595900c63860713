package org.nopelab.core.engine;

import java.util.Map;

import org.nopelab.core.metrics.SelfSimilarity;
import org.nopelab.core.metrics.SimilarityKind;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/**
 * The one seam between the numerics and everything else: forward passes with capture, loss and gradients, and
 * training sessions that hold parameters and optimizer moments across steps. Every call is its own pass; nothing
 * of one pass survives into the next. Implemented by the ND4J engine (float32, or float64 for checks) and the
 * plain-Java reference (float64); the engines package chooses between them.
 */
public interface TransformerEngine {
    /** The engine's name as experiment files write it (analysis.engine). */
    String name();

    /** What the engine runs on, for provenance: its library and version, backend, BLAS and their threads. */
    Map<String, String> versions();

    /**
     * One forward pass over tokens [sequences][positions] (ids in [0, vocab_size)), filling capture with what it
     * asks for. betweenBlocks runs before each block, so a long pass can be cancelled by throwing from it.
     */
    void forward(ModelConfig config, ModelWeights weights, int[][] tokens, Capture capture, Runnable betweenBlocks);

    /**
     * Forward passes over one model's weights as they are when this is called, for a caller that runs many (an
     * analysis, batch by batch): an engine that keeps parameters in native memory uploads them once, not once per
     * pass. One thread at a time; close it to free what it holds.
     */
    interface Forwards extends AutoCloseable {
        /** As {@link TransformerEngine#forward(ModelConfig, ModelWeights, int[][], Capture, Runnable)}. */
        void forward(int[][] tokens, Capture capture, Runnable betweenBlocks);

        @Override
        void close();
    }

    /** Forward passes of this model; by default each pass is one call of {@link #forward(ModelConfig, ModelWeights, int[][], Capture, Runnable)}. */
    default Forwards forwards(ModelConfig config, ModelWeights weights) {
        return new Forwards() {
            @Override
            public void forward(int[][] tokens, Capture capture, Runnable betweenBlocks) {
                TransformerEngine.this.forward(config, weights, tokens, capture, betweenBlocks);
            }

            @Override
            public void close() {}
        };
    }

    /** Every hidden state of one pass. */
    default HiddenStates forward(ModelConfig config, ModelWeights weights, int[][] tokens) {
        return forward(config, weights, tokens, () -> {});
    }

    /** Every hidden state of one pass, calling betweenBlocks before each block. */
    default HiddenStates forward(ModelConfig config, ModelWeights weights, int[][] tokens, Runnable betweenBlocks) {
        Capture all = Capture.allStates();
        forward(config, weights, tokens, all, betweenBlocks);
        return all.captured();
    }

    /** Mean cross-entropy over the weighted positions of batch, every parameter's gradient and the argmax predictions. */
    LossAndGradients lossAndGradients(ModelConfig config, ModelWeights weights, Batch batch);

    /**
     * A training session starting from weights (copied: the caller's stay as they are) with Adam, resumed after
     * stepsDone steps from optimizerState ("adam.m.NAME" / "adam.v.NAME"; empty for a fresh start).
     */
    Training train(ModelConfig config, ModelWeights weights, Adam.Settings adam, Map<String, Tensor> optimizerState, int stepsDone);

    /** Each sequence's positions x positions similarity matrix of one state (float64, as {@link SelfSimilarity}). */
    default double[][][] similarity(Tensor states, SimilarityKind kind) {
        return SelfSimilarity.perSequence(states, kind);
    }

    /**
     * The same matrices one sequence at a time, (matrix, sequence index) to each: the matrix may be one array the
     * engine reuses, valid only during the call (copy what must outlive it). What Analysis streams through: the
     * whole batch's matrices at once are b n^2 doubles, 268 MB per state at 8 x 2048 positions.
     */
    default void similarities(Tensor states, SimilarityKind kind, java.util.function.ObjIntConsumer<double[][]> each) {
        double[][][] all = similarity(states, kind);
        for (int s = 0; s < all.length; s++) each.accept(all[s], s);
    }
}
