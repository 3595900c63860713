package org.nopelab.core.run;

import java.util.List;

import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.model.ModelWeights;

/** The outcome of analysing one subject: what was run, on what inputs, and what each state measured. */
public record AnalysisResult(Experiment experiment, ModelWeights weights, int[][] tokens, List<StateMetrics> states,
        String engine, double seconds) {}
