package org.nopelab.core.internal.nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nopelab.nd4j.Nd4jContext;

/**
 * A batch's work without backward (a forward pass, the similarity matrices) split by sequences between the engine's
 * threads, each part run whole on one thread: its BLAS calls, fused kernels and ND4J ops. For short sequences every
 * op of a pass is small, and handing each op's work to a second thread and waking it cost as much as the second
 * core gave: paper-d64's analysis pass took the same wall time at 2 threads as at 1 (49.5 vs 48.9 ms, 60% more
 * CPU; bench-20261203-144446), while PyTorch's halved. Sequences are independent in both computations and each
 * sequence's numbers come from the same calls in the same order whatever the split, so a split run gives the
 * unsplit hidden states, attention and similarity matrices bit for bit (BatchSplitTest); only the logits of a narrow
 * vocabulary (13 tokens there) can differ in their last bits, OpenBLAS choosing its SGEMM kernel by the call's rows.
 *
 * <p>BLAS runs on one thread while a split runs, for the whole process: OpenBLAS's thread count is global (0.3.19 has
 * no per-call setting), and two callers sharing its two-thread pool contend inside it (two threads' DSYRKs took 3x
 * one thread's, measured). A pass on another thread meanwhile runs its GEMMs on one thread (the same numbers).
 */
final class BatchSplit {
    private BatchSplit() {}

    /**
     * Sequences up to this long are split; longer ones run on all threads per op, where each op is large enough
     * to share (d256-L4-T512's analysis is 0.72x PyTorch at 2 threads unsplit). -Dnopelab.split.maxPositions=N
     * moves the bound (0: never split).
     */
    static final int MAX_POSITIONS = Integer.getInteger("nopelab.split.maxPositions", 256);

    /** How many parts a batch of this shape is split into at the engine's threads now: 1 is no split. */
    static int parts(int sequences, int positions) {
        return positions <= MAX_POSITIONS ? Math.max(1, Math.min(Nd4jEngine.threads(), sequences)) : 1;
    }

    /**
     * How many parts a training step's batch of this shape runs as: two halves for short sequences, whatever the
     * threads (the weight gradients sum over the batch's rows, so the split decides their last bits; a split that
     * followed the thread count would make a step's numbers depend on it). On two threads the halves run side by side,
     * each whole on one thread, as a split forward does; on one, in turn.
     */
    static final int TRAINING_PARTS = 2;

    static int trainingParts(int sequences, int positions) {
        return positions <= MAX_POSITIONS && sequences >= TRAINING_PARTS ? TRAINING_PARTS : 1;
    }

    /** The first sequence of part k (part k is [start(k), start(k + 1))). */
    static int start(int sequences, int parts, int k) {
        return (int) ((long) sequences * k / parts);
    }

    /** One part's work; check runs where the part may stop (between blocks), and throws when it should. */
    interface Part {
        void run(int k, Runnable check);
    }

    /** Why a helper's part stopped early: the caller's part failed, and its error is the one reported. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs part 0 on the caller (inside its Nd4jContext and workspace, with callerCheck as its check) and parts 1..
     * on helper threads, each in a pass workspace of its own, and returns when all have ended: helpers read the
     * caller's arrays (the parameters), so the caller waits for them even when its own part failed or it was
     * interrupted. The first failure is rethrown: the caller's, else the lowest helper's.
     */
    static void run(int parts, Runnable callerCheck, Part body) {
        AtomicBoolean stop = new AtomicBoolean();
        Runnable helperCheck = () -> {
            if (stop.get()) throw new Stopped();
        };
        Throwable failed = null;
        boolean interrupted = false;
        Gemm.threads(1);
        try {
            List<Future<?>> helpers = new ArrayList<>();
            ExecutorService pool = pool(parts - 1);
            for (int k = 1; k < parts; k++) {
                int part = k;
                helpers.add(pool.submit(() -> Nd4jContext.run(() -> {
                    try (MemoryWorkspace ws = Nd4jEngine.activate()) {
                        body.run(part, helperCheck);
                    }
                })));
            }
            try {
                body.run(0, callerCheck);
            } catch (RuntimeException | Error e) {
                stop.set(true);
                failed = e;
            }
            for (Future<?> f : helpers) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // still wait: the helper reads the caller's arrays
                        stop.set(true);
                    } catch (ExecutionException e) {
                        if (failed == null && !(e.getCause() instanceof Stopped)) failed = e.getCause();
                        stop.set(true);
                        break;
                    }
                }
            }
        } finally {
            Gemm.threads(Nd4jEngine.threads());
            if (interrupted) Thread.currentThread().interrupt();
        }
        if (failed instanceof RuntimeException r) throw r;
        if (failed instanceof Error e) throw e;
        if (failed != null) throw new IllegalStateException(failed);
    }

    private static ExecutorService pool;
    private static int poolSize;

    /**
     * Helper threads that live as long as the process: each keeps its pass workspace from one split to the next
     * (a new thread would learn its workspace again, and the old one's memory would wait for a GC).
     */
    private static synchronized ExecutorService pool(int helpers) {
        if (pool == null || poolSize < helpers) {
            ExecutorService old = pool;
            pool = Executors.newFixedThreadPool(helpers, r -> {
                Thread t = new Thread(r, "nopelab-pass");
                t.setDaemon(true);
                return t;
            });
            poolSize = helpers;
            if (old != null) old.shutdown();
        }
        return pool;
    }
}
