package org.nopelab.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The range a reported quantity can take, by metric key (the keys of comparison.json and sweep.json), so that
 * intervals and axes stay inside it: probabilities and accuracies in [0, 1], R^2 at most 1, errors and losses
 * at least 0. The table is the one place these ranges are written.
 */
public record Bounds(double low, double high) {
    public static final Bounds ANY = new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    public static final Bounds PROBABILITY = new Bounds(0, 1);

    /** Metric key pattern -> range, first match wins. */
    private static final Map<String, Bounds> BY_KEY = new LinkedHashMap<>();
    static {
        for (AdjacencyScore a : AdjacencyScore.values()) {
            BY_KEY.put(a.name(), PROBABILITY);
            BY_KEY.put(a.name() + "_chance", PROBABILITY);
        }
        BY_KEY.put("probe_.*_r2", new Bounds(Double.NEGATIVE_INFINITY, 1));
        BY_KEY.put("probe_.*_mae", new Bounds(0, Double.POSITIVE_INFINITY));
        BY_KEY.put("probe_.*_accuracy", PROBABILITY);
        BY_KEY.put("token_accuracy|sequence_accuracy", PROBABILITY);
        BY_KEY.put("final_loss", new Bounds(0, Double.POSITIVE_INFINITY));
    }

    public static Bounds of(String metric) {
        for (var e : BY_KEY.entrySet()) if (metric.matches(e.getKey())) return e.getValue();
        return ANY;
    }
}
