package org.nopelab.core.reproduce;

import java.util.List;

import org.nopelab.core.metrics.Estimate;

/**
 * What the reproduction concluded about one claim of paper-spec §6: the verdict, one sentence why, the
 * experiments behind it, every number it rests on, and the figures that show them.
 */
public record Verdict(String id, String claim, Status status, String summary, List<String> experiments, List<Number> numbers,
        List<Figure> figures) {

    public enum Status { holds, partly, fails, not_run }

    /** A measured number, with its interval where there is one and what it is compared with (chance, theory). */
    public record Number(String what, Estimate value, Double reference, String referenceName, String outcome) {}

    /** The data of a figure; the report draws it (charts stay out of core). */
    public record Figure(String file, String title, String xLabel, String yLabel, Kind kind, List<Series> series, Double chance,
            boolean logX, double[][] matrix) {
        public enum Kind { estimates, theory, heatmap, histogram }
    }

    /** One line of a figure: y[k] at x[k] (an estimate with its interval, or a plain value with n = 1). */
    public record Series(String name, double[] x, Estimate[] y) {}
}
