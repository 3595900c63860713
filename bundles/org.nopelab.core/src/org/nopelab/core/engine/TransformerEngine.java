package org.nopelab.core.engine;

import org.nopelab.core.metrics.SelfSimilarity;
import org.nopelab.core.metrics.SimilarityKind;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/**
 * The seam between the numerics and everything else: a forward pass that returns every hidden state.
 * The ND4J engine is the fast path; the plain-Java {@link ReferenceEngine} checks it in tests.
 */
public interface TransformerEngine {
    String name();

    /** @param tokens [batch][positions] token ids in [0, vocab_size) */
    HiddenStates forward(ModelConfig config, ModelWeights weights, int[][] tokens);

    /**
     * The same pass, calling betweenBlocks before each transformer block, so a long pass can be cancelled by
     * throwing from it (a batch of a large model takes seconds). Engines without the hook run it whole.
     */
    default HiddenStates forward(ModelConfig config, ModelWeights weights, int[][] tokens, Runnable betweenBlocks) {
        return forward(config, weights, tokens);
    }

    /** Each sequence's positions x positions similarity matrix of one state (float64, as {@link SelfSimilarity}). */
    default double[][][] similarity(Tensor states, SimilarityKind kind) {
        return SelfSimilarity.perSequence(states, kind);
    }
}
