package org.nopelab.kernels.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a loop over [0, count) in contiguous chunks on up to `threads` threads, the caller's among them: the engine's
 * thread setting (1 or 2 here) decides, as it does for ND4J's own loops and BLAS.
 */
public final class Parallel {
    private Parallel() {}

    /** The body of one chunk: items from (inclusive) to (exclusive), and the chunk's index (for per-chunk scratch). */
    public interface Chunk {
        void run(int from, int to, int chunk);
    }

    private static ExecutorService pool;
    private static int poolSize;

    public static void forRange(int count, int threads, Chunk body) {
        int chunks = Math.max(1, Math.min(threads, count));
        if (chunks == 1) {
            body.run(0, count, 0);
            return;
        }
        ExecutorService p = pool(chunks - 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int k = 1; k < chunks; k++) {
            int from = (int) ((long) count * k / chunks), to = (int) ((long) count * (k + 1) / chunks), chunk = k;
            futures.add(p.submit(() -> body.run(from, to, chunk)));
        }
        body.run(0, (int) ((long) count / chunks), 0);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a kernel ran", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static synchronized ExecutorService pool(int helpers) {
        if (pool == null || poolSize < helpers) {
            if (pool != null) pool.shutdown();
            pool = Executors.newFixedThreadPool(helpers, r -> {
                Thread t = new Thread(r, "nopelab-kernel");
                t.setDaemon(true);
                return t;
            });
            poolSize = helpers;
        }
        return pool;
    }
}
