package org.nopelab.nd4j;

import java.util.function.Supplier;

/**
 * Runs code with this bundle's class loader as the thread context class loader. ND4J finds its backend
 * and op registries through the context class loader; inside OSGi that loader must be the bundle that
 * embeds all ND4J jars, or backend discovery fails.
 */
public final class Nd4jContext {
    private Nd4jContext() {}

    static {
        BlasCore.apply(); // before anything here loads ND4J, and with it OpenBLAS
    }

    public static <T> T call(Supplier<T> body) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Nd4jContext.class.getClassLoader());
        try {
            return body.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public static void run(Runnable body) {
        call(() -> { body.run(); return null; });
    }
}
