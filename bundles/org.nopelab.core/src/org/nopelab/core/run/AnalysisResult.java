package org.nopelab.core.run;

import java.util.List;

import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.train.Trainer;

/**
 * The outcome of analysing one subject: what was run, on what inputs, what each state measured, and for a
 * trained subject how its training went (null otherwise).
 */
public record AnalysisResult(Experiment experiment, ModelWeights weights, int[][] tokens, List<StateMetrics> states,
        String engine, double seconds, Trainer.Outcome training, List<org.nopelab.core.metrics.AttentionStats> attention) {

    public AnalysisResult withTraining(Trainer.Outcome t) {
        return new AnalysisResult(experiment, weights, tokens, states, engine, seconds, t, attention);
    }
}
