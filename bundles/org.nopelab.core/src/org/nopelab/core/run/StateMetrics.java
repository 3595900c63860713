package org.nopelab.core.run;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.probe.PositionProbe;

/**
 * Everything measured on one hidden state (e.g. layer3): the mean self-similarity matrix (stored as CSV
 * beside metrics.json, hence not in the JSON), adjacency scores, similarity by distance, the per-position
 * variance signal, the position probes and order recovery (null when switched off) and the lag profile.
 */
public record StateMetrics(
        String name,
        int layer,
        Map<AdjacencyScore, ScoreResult> scores,
        double[] similarityByDistance,
        Estimate[] variance,
        String matrix,
        String figure,
        Map<PositionProbe.Features, PositionProbe.Score> probes,
        org.nopelab.core.probe.PositionProbe.Score relativeProbe,
        org.nopelab.core.metrics.OrderRecovery.Result order,
        org.nopelab.core.metrics.LagProfile lag,
        @JsonIgnore double[][] meanMatrix) {
}
