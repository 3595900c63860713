package org.nopelab.core.run;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.nopelab.core.metrics.Estimate;

/**
 * sweep.json: per cell, subject and layer, every headline number aggregated over the seeds that finished
 * (mean with a Student-t 95% interval, n = seeds). {@code complete} is false while cells are still missing.
 * {@code software} lists the distinct software (NoPE Lab build, ND4J) that computed the finished runs: more than
 * one entry means the sweep was resumed under another version, and its numbers mix them.
 */
public record SweepSummary(String format, String experiment, Map<String, List<JsonNode>> grid, List<Long> seeds,
        boolean complete, int runs, int runsDone, List<Cell> cells, List<String> software) {

    public SweepSummary {
        software = software == null ? List.of() : software; // sweep.json files written before this field
    }

    public static final String FORMAT = "nopelab/sweep/1";

    /** One grid combination; {@code seedsDone} lists the seeds whose folders cells/ID/seed-N exist. */
    public record Cell(int index, String id, Map<String, JsonNode> values, List<Long> seedsDone, Map<String, Subject> subjects) {
        /** The values with each path's last name, e.g. "std=0.3, residual=false": chart titles, table rows, verdicts. */
        public String label() {
            List<String> parts = new java.util.ArrayList<>();
            values.forEach((k, v) -> parts.add(k.substring(k.lastIndexOf('.') + 1) + "=" + org.nopelab.core.experiment.Sweep.text(v)));
            return String.join(", ", parts);
        }
    }

    /** One subject of a cell: rows per layer, and for a trained subject its held-out accuracy. */
    public record Subject(List<Layer> layers, Map<String, Estimate> training) {}

    /** Metric name (ap_nn, ap_nn_chance, probe_cosine_r2, ...) -> estimate over seeds. */
    public record Layer(int layer, Map<String, Estimate> metrics) {}

    /** Names of the metrics the cells carry, in order of first appearance. */
    public List<String> metricNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (Cell c : cells) for (Subject s : c.subjects().values()) for (Layer l : s.layers()) names.addAll(l.metrics().keySet());
        return List.copyOf(names);
    }

    public List<String> subjectNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (Cell c : cells) names.addAll(c.subjects().keySet());
        return List.copyOf(names);
    }

    /** The estimate of a metric in a cell, subject and layer, or null where the cell has no such number. */
    public Estimate value(Cell c, String subject, int layer, String metric) {
        Subject s = c.subjects().get(subject);
        if (s == null) return null;
        return s.layers().stream().filter(l -> l.layer() == layer).findFirst().map(l -> l.metrics().get(metric)).orElse(null);
    }

    public int layers() {
        int max = -1;
        for (Cell c : cells) for (Subject s : c.subjects().values()) for (Layer l : s.layers()) max = Math.max(max, l.layer());
        return max + 1;
    }
}
