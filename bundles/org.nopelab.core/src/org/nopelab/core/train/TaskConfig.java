package org.nopelab.core.train;

/**
 * The task section: which task, its size parameters and, for add3, how digits are written (defaults and docs in
 * the schema).
 */
public record TaskConfig(String name, int p, int length, String format) {
    public TaskConfig {
        format = format == null ? "plain" : format;
    }

    public TaskConfig(String name, int p, int length) {
        this(name, p, length, "plain");
    }
}
