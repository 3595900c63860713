package org.nopelab.core.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.train.TaskConfig;
import org.nopelab.core.train.TrainConfig;

/** A validated experiment with every default filled in. Build one with {@link ExperimentReader}. */
public record Experiment(
        String schema,
        String name,
        String description,
        long seed,
        @JsonProperty("data_seed") long dataSeed,
        TaskConfig task,
        TrainConfig train,
        List<Subject> subjects,
        ModelConfig model,
        InputConfig input,
        AnalysisConfig analysis,
        Sweep sweep,
        ClusterConfig cluster) {

    public static final String SCHEMA_ID = "nopelab/experiment/1";

    /** The same experiment for one subject's model. */
    public Experiment forSubject(Subject s) {
        return new Experiment(schema, name + "-" + s.name(), description, seed, dataSeed, task, train, List.of(s), s.modelFor(model), s.inputFor(input), analysis, sweep, cluster);
    }

    /** True when the file declares a grid of cells to run (see {@link Sweep}). */
    public boolean isSweep() {
        return sweep != null;
    }

    /** True when the file asks for more than the plain random-init analysis of issue-2 experiments. */
    public boolean hasSubjects() {
        return subjects.size() > 1 || !subjects.get(0).isPlainRandom();
    }
}
