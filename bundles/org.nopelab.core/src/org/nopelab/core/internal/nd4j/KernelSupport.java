package org.nopelab.core.internal.nd4j;

/**
 * Whether the fused kernels can run in this process: the kernels bundle resolved (Java 22+, the JVM started with
 * add-modules jdk.incubator.vector, as the launcher and the test harness do) and not switched off with
 * -Dnopelab.kernels=off (the ND4J-op path, for comparisons). Decided once.
 */
public final class KernelSupport {
    private KernelSupport() {}

    private static String missing = "";
    private static final String DESCRIPTION = probe();

    private static String probe() {
        if ("off".equals(System.getProperty("nopelab.kernels"))) return null;
        try {
            return org.nopelab.kernels.Kernels.describe();
        } catch (LinkageError e) { // the bundle or the incubator module is missing, or class files newer than the JVM
            missing = " [" + e + "]";
            return null;
        }
    }

    public static boolean available() {
        return DESCRIPTION != null;
    }

    /** What provenance records: the kernels' vector shape, or why the ND4J ops run instead. */
    public static String describe() {
        if (DESCRIPTION != null) return DESCRIPTION;
        return "off".equals(System.getProperty("nopelab.kernels")) ? "off (-Dnopelab.kernels=off): ND4J ops"
                : "unavailable (needs Java 22+ with --add-modules=jdk.incubator.vector): ND4J ops" + missing;
    }
}
