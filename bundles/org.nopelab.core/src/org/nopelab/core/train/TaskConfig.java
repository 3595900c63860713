package org.nopelab.core.train;

/** The task section: which task, and its size parameters (defaults and docs in the schema). */
public record TaskConfig(String name, int p, int length) {}
