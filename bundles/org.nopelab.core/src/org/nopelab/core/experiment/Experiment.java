package org.nopelab.core.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.nopelab.core.model.ModelConfig;

/** A validated experiment with every default filled in. Build one with {@link ExperimentReader}. */
public record Experiment(
        String schema,
        String name,
        String description,
        long seed,
        @JsonProperty("data_seed") long dataSeed,
        ModelConfig model,
        InputConfig input,
        AnalysisConfig analysis) {

    public static final String SCHEMA_ID = "nopelab/experiment/1";
}
