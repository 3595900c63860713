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
        @JsonProperty("probe_samples") int probeSamples) {

    public boolean sublayers() {
        return "sublayers".equals(states);
    }
}
