package org.nopelab.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The task section: which task, its size parameters, for add3 how digits are written, and for parity an optional
 * length curriculum and running-parity scratchpad (defaults and docs in the schema).
 */
public record TaskConfig(String name, int p, int length, String format,
        @JsonProperty("curriculum_start") int curriculumStart, @JsonProperty("curriculum_steps") int curriculumSteps, boolean scratchpad) {
    /** The schema's default of curriculum_steps, for configs built in code rather than read from a file. */
    static final int DEFAULT_CURRICULUM_STEPS = 250;

    public TaskConfig {
        format = format == null ? "plain" : format;
        curriculumSteps = curriculumSteps <= 0 ? DEFAULT_CURRICULUM_STEPS : curriculumSteps;
    }

    public TaskConfig(String name, int p, int length) {
        this(name, p, length, "plain");
    }

    public TaskConfig(String name, int p, int length, String format) {
        this(name, p, length, format, 0, DEFAULT_CURRICULUM_STEPS, false);
    }

    public TaskConfig(String name, int p, int length, String format, int curriculumStart, int curriculumSteps) {
        this(name, p, length, format, curriculumStart, curriculumSteps, false);
    }
}
