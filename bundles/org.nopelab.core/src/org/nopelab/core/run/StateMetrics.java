package org.nopelab.core.run;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.metrics.Estimate;

/**
 * Everything measured on one hidden state (e.g. layer3): the mean self-similarity matrix (stored as CSV
 * beside metrics.json, hence not in the JSON), adjacency scores, similarity by distance and the per-position
 * variance signal.
 */
public record StateMetrics(
        String name,
        int layer,
        Map<AdjacencyScore, ScoreResult> scores,
        double[] similarityByDistance,
        Estimate[] variance,
        String matrix,
        String figure,
        @JsonIgnore double[][] meanMatrix) {

    public StateMetrics withMatrix(double[][] m) {
        return new StateMetrics(name, layer, scores, similarityByDistance, variance, matrix, figure, m);
    }
}
