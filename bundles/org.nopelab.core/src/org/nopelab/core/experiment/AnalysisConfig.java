package org.nopelab.core.experiment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.metrics.SimilarityKind;

/** What is measured: which hidden states, which similarity, which scores, on which engine. */
public record AnalysisConfig(
        String states,
        SimilarityKind similarity,
        List<AdjacencyScore> scores,
        String engine,
        @JsonProperty("batch_size") int batchSize,
        boolean figures,
        boolean probes,
        @JsonProperty("probe_samples") int probeSamples,
        boolean attention,
        boolean order) {

    /** Attention statistics are skipped above this many positions: one block's probabilities and scores are sequences x heads x n^2 floats each. */
    public static final int ATTENTION_MAX_POSITIONS = 1024;

    /** Order recovery seriates at most this many sequences per state (one eigen-decomposition of n x n each) ... */
    public static final int ORDER_SEQUENCES = 64;

    /** ... and, above {@value #ORDER_FEW_ABOVE} positions, at most {@value #ORDER_FEW} (n^3 each). */
    public static final int ORDER_FEW_ABOVE = 256, ORDER_FEW = 8;

    public boolean sublayers() {
        return "sublayers".equals(states);
    }
}
