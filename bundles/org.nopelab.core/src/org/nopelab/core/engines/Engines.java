package org.nopelab.core.engines;

import java.util.List;

import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.engine.reference.ReferenceEngine;
import org.nopelab.core.internal.nd4j.Nd4jEngine;

/**
 * The one place engines are chosen, by the names experiment files use (analysis.engine). Everything else sees
 * only {@link TransformerEngine}.
 */
public final class Engines {
    private Engines() {}

    /** The names byName accepts, in the order the docs list them. */
    public static final List<String> NAMES = List.of("nd4j", "nd4j-float64", "reference");

    public static TransformerEngine byName(String name) {
        return switch (name) {
            case "nd4j" -> new Nd4jEngine(false);
            case "nd4j-float64" -> new Nd4jEngine(true);
            case "reference" -> new ReferenceEngine();
            default -> throw new IllegalArgumentException("unknown engine '" + name + "' " + NAMES);
        };
    }

    /** The engine of every training run and of analyses that do not choose one. */
    public static TransformerEngine standard() {
        return byName("nd4j");
    }

    /** Threads the ND4J engine uses from now on; n <= 0 keeps the launch setting (OMP_NUM_THREADS). */
    public static void threads(int n) {
        Nd4jEngine.threads(n);
    }
}
