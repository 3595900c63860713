package org.nopelab.core.run;

import java.util.List;

/** metrics.json: one subject's scores for every analysed state. The file format is nopelab/result/1. */
public record ResultSummary(
        String format,
        String experiment,
        String description,
        String engine,
        String similarity,
        int positions,
        int samples,
        double seconds,
        List<StateMetrics> states) {

    public static final String FORMAT = "nopelab/result/1";
}
