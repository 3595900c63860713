package org.nopelab.core.engine;

import org.nopelab.core.internal.nd4j.Nd4jEngine;

/** Engine choice as named in experiment files. */
public final class Engines {
    private Engines() {}

    public static TransformerEngine byName(String name) {
        return switch (name) {
            case "nd4j" -> new Nd4jEngine();
            case "reference" -> new ReferenceEngine();
            default -> throw new IllegalArgumentException("unknown engine '" + name + "' (nd4j, reference)");
        };
    }

    /** Threads the ND4J engine uses from now on; n <= 0 keeps the launch setting (OMP_NUM_THREADS). */
    public static void threads(int n) {
        Nd4jEngine.threads(n);
    }
}
