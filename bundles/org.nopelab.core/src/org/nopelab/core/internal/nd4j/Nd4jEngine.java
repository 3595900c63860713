package org.nopelab.core.internal.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nopelab.core.engine.Adam;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.Capture;
import org.nopelab.core.engine.LossAndGradients;
import org.nopelab.core.engine.Training;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.metrics.SimilarityKind;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;
import org.nopelab.nd4j.Nd4jContext;

/**
 * The ND4J engine: INDArray ops inside a {@link MemoryWorkspace}, so every intermediate of a pass is released
 * at once when it ends (without a workspace memory grows to GBs). Results are copied out to Java arrays
 * before the workspace closes. float32 normally; float64 for gradient checks.
 */
public final class Nd4jEngine implements TransformerEngine {
    private final DataType dt;
    private final boolean kernels;

    /**
     * float32, the engine of every run, with the fused kernels where they can run; float64 (the same code in double
     * precision, ND4J ops only) for checks.
     */
    public Nd4jEngine(boolean float64) {
        this(float64, !float64 && KernelSupport.available());
    }

    /** kernels false: ND4J's ops throughout (the path the fused kernels are compared with). */
    public Nd4jEngine(boolean float64, boolean kernels) {
        this.dt = float64 ? DataType.DOUBLE : DataType.FLOAT;
        this.kernels = kernels && !float64;
        if (this.kernels && !KernelSupport.available()) throw new IllegalStateException("fused kernels " + KernelSupport.describe());
    }

    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();

    private static int launchThreads = -1;
    /** The engine's threads (fused kernels, Adam, the kernels' share of a pass); 0 until first asked. */
    private static volatile int engineThreads;

    /**
     * Threads of the fused kernels, of ND4J's native loops and of BLAS; n <= 0 restores what the process started
     * with (OMP_NUM_THREADS). The engine keeps its own count: ND4J's Environment.setMaxThreads changes nothing
     * (maxThreads() still answers the launch value), so `bench --threads 2` and the workbench's thread setting ran
     * every fused kernel on one thread while BLAS ran on two (no kernel thread was ever started, JFR's thread
     * events, measured).
     */
    public static synchronized void threads(int n) {
        Nd4jContext.run(() -> {
            if (launchThreads < 0) launchThreads = Math.max(1, Nd4j.getEnvironment().maxThreads());
            int t = n > 0 ? n : launchThreads;
            Nd4j.getEnvironment().setMaxThreads(t);
            Gemm.threads(t);
            engineThreads = t;
        });
    }

    /** The engine's threads now: the last {@link #threads(int)} setting, else the launch setting. */
    static int threads() {
        if (engineThreads == 0) threads(0);
        return engineThreads;
    }

    /**
     * Where the time of one run of body goes: ND4J's op profiler, time per op class (matmul, softmax, erf, copies
     * as old_assign, ...) with call counts, as ND4J prints it. Profiling slows every op; use it for shares only.
     */
    public static String profile(Runnable body) {
        return Nd4jContext.call(() -> {
            var executioner = Nd4j.getExecutioner();
            var profiler = org.nd4j.linalg.profiler.OpProfiler.getInstance();
            profiler.reset();
            // copies (old_assign) are the largest avoidable cost: count them by the NoPE Lab line that caused them
            Map<String, Integer> copies = new java.util.TreeMap<>();
            org.nd4j.linalg.profiler.OpProfiler.OpProfilerListener listener = op -> {
                if (!"old_assign".equals(op.opName())) return;
                boolean self = true; // the first NoPE Lab frame is this listener
                for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
                    if (!e.getClassName().startsWith("org.nopelab.")) continue;
                    if (self) {
                        self = false;
                    } else {
                        copies.merge(e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName() + ":" + e.getLineNumber(), 1, Integer::sum);
                        return;
                    }
                }
            };
            profiler.addListener(listener);
            executioner.setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.OPERATIONS);
            try {
                body.run();
            } finally {
                executioner.setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.DISABLED);
                profiler.clearListener(listener);
            }
            StringBuilder callers = new StringBuilder("copies (old_assign) by caller:\n");
            copies.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> callers.append(String.format("%5d  %s%n", e.getValue(), e.getKey())));
            return profiler.getLongAggergator().asPercentageString() + "\nby kind:\n" + profiler.getClassAggergator().asPercentageString()
                    + "\ncalls by op:\n" + profiler.getOpCounter().asString() + "\n" + callers;
        });
    }

    @Override
    public String name() {
        return dt == DataType.FLOAT ? "nd4j" : "nd4j-float64";
    }

    /** ND4J's version, backend and BLAS with their threads now: what provenance records of this engine. */
    @Override
    public Map<String, String> versions() {
        return Nd4jContext.call(() -> {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("nd4j", version());
            v.put("backend", Nd4j.getBackend().getClass().getSimpleName() + ", BLAS " + Nd4j.factory().blas().getBlasVendor() + ", " + Nd4j.dataType());
            v.put("engine_threads", String.valueOf(threads()));
            v.put("blas_threads", String.valueOf(Gemm.threads()));
            v.put("blas_core", org.nopelab.nd4j.BlasCore.describe());
            v.put("kernels", kernels ? KernelSupport.describe() : dt == DataType.DOUBLE ? "ND4J ops (float64)"
                    : KernelSupport.available() ? "ND4J ops (fused kernels off for this engine)" : KernelSupport.describe());
            return v;
        });
    }

    private static final String VERSION = readVersion();

    /** ND4J's release, from its jar's Maven properties (read once: it cannot change while the process runs). */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (java.io.InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Every sequence's matrix, each its own copy of what {@link #similarities} streams. */
    @Override
    public double[][][] similarity(Tensor states, SimilarityKind kind) {
        double[][][] out = new double[states.dim(0)][][];
        similarities(states, kind, (m, s) -> {
            out[s] = new double[m.length][];
            for (int i = 0; i < m.length; i++) out[s][i] = m[i].clone();
        });
        return out;
    }

    /**
     * The similarity matrices as float64 Gram matrices of the (centred, normalised) states: the same numbers as the
     * Java loops of SelfSimilarity (float64 throughout, the same rows from SelfSimilarity.rows), without their
     * O(b n^2 d) scalar work. One DSYRK per sequence (half a product's work: the matrix is symmetric) into one n x n
     * buffer, mirrored into one reused Java matrix: no [b, n, n] array on either side. Short sequences are split
     * between the engine's threads ({@link BatchSplit}): each helper keeps its part's matrices, handed on after the
     * caller's own, so each receives them in sequence order, on the caller's thread.
     */
    @Override
    public void similarities(Tensor states, SimilarityKind kind, java.util.function.ObjIntConsumer<double[][]> each) {
        int b = states.dim(0), parts = BatchSplit.parts(b, states.dim(1));
        Nd4jContext.run(() -> {
            try (MemoryWorkspace ws = activate()) {
                if (parts == 1) {
                    gramians(states, kind, 0, b, false, each);
                    return;
                }
                double[][][][] kept = new double[parts][][][];
                BatchSplit.run(parts, () -> {}, (k, check) -> {
                    int from = BatchSplit.start(b, parts, k), to = BatchSplit.start(b, parts, k + 1);
                    if (k == 0) {
                        gramians(states, kind, from, to, false, each);
                        return;
                    }
                    double[][][] mine = new double[to - from][][];
                    gramians(states, kind, from, to, true, (m, s) -> mine[s - from] = m);
                    kept[k] = mine;
                });
                for (int k = 1; k < parts; k++) {
                    int from = BatchSplit.start(b, parts, k);
                    for (int s = 0; s < kept[k].length; s++) each.accept(kept[k][s], from + s);
                }
            }
        });
    }

    /** Sequences [from, to)'s matrices, each handed on with its index in the batch; fresh: each its own matrix. */
    private static void gramians(Tensor states, SimilarityKind kind, int from, int to, boolean fresh, java.util.function.ObjIntConsumer<double[][]> each) {
        int n = states.dim(1), d = states.dim(2);
        double[] h = org.nopelab.core.metrics.SelfSimilarity.rows(states, kind, from, to);
        Gemm.gramians(Writes.doubles(h, (long) (to - from) * n, d), to - from, n, d, fresh, (m, s) -> each.accept(m, from + s));
    }

    /**
     * A forward pass; a batch of short sequences is split between the engine's threads ({@link BatchSplit}), each
     * part capturing its own states, joined in batch order. betweenBlocks runs on the caller's thread only.
     */
    @Override
    public void forward(ModelConfig c, ModelWeights w, int[][] tokens, Capture capture, Runnable betweenBlocks) {
        forward(c, null, w, tokens, capture, betweenBlocks);
    }

    /**
     * The parameters uploaded once, outside any workspace, and freed on close: a paper-size analysis pass spent 9%
     * of its caller's time creating them per pass, ND4J's per-array set-up more than the copy (JFR, measured).
     */
    @Override
    public Forwards forwards(ModelConfig c, ModelWeights w) {
        Params params = Nd4jContext.call(() -> {
            try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return Params.loaded(w, dt);
            }
        });
        return new Forwards() {
            @Override
            public void forward(int[][] tokens, Capture capture, Runnable betweenBlocks) {
                Nd4jEngine.this.forward(c, params, w, tokens, capture, betweenBlocks);
            }

            @Override
            public void close() {
                Nd4jContext.run(params::close);
            }
        };
    }

    /** given: parameters a Forwards holds, else null (made from w in this pass's workspace). */
    private void forward(ModelConfig c, Params given, ModelWeights w, int[][] tokens, Capture capture, Runnable betweenBlocks) {
        int parts = BatchSplit.parts(tokens.length, tokens[0].length);
        Nd4jContext.run(() -> {
            try (MemoryWorkspace ws = activate()) {
                if (parts == 1) {
                    new Nd4jPass(c, given != null ? given : Params.of(w, dt), tokens, dt, kernels, false).forward(capture, betweenBlocks);
                    return;
                }
                Params params = given != null ? given : Params.loaded(w, dt);
                List<Capture> captures = new ArrayList<>();
                for (int k = 0; k < parts; k++) captures.add(capture.part());
                BatchSplit.run(parts, betweenBlocks, (k, check) -> {
                    int[][] part = Arrays.copyOfRange(tokens, BatchSplit.start(tokens.length, parts, k), BatchSplit.start(tokens.length, parts, k + 1));
                    new Nd4jPass(c, params, part, dt, kernels, false, 1).forward(captures.get(k), check);
                });
                capture.join(captures);
            }
        });
    }

    @Override
    public LossAndGradients lossAndGradients(ModelConfig c, ModelWeights w, Batch batch) {
        return Nd4jContext.call(() -> {
            try (MemoryWorkspace ws = activate()) {
                double[] loss = new double[1];
                int[][][] predictions = new int[1][][];
                Map<String, double[]> grads = new LinkedHashMap<>();
                // every parameter made now: the halves of a split step read them from two threads
                step(c, Params.loaded(w, dt), batch, dt, kernels, loss, predictions).forEach((name, g) -> putGradient(grads, name, Reads.doubles(g)));
                return new LossAndGradients(loss[0], grads, predictions[0]);
            }
        });
    }

    @Override
    public Training train(ModelConfig c, ModelWeights w, Adam.Settings adam, Map<String, Tensor> optimizerState, int stepsDone) {
        return new Nd4jTraining(c, w, dt, kernels, adam, optimizerState, stepsDone);
    }

    /**
     * One pass with its backward in the caller's workspace: loss, gradients (fused names) and predictions. A batch of
     * short sequences runs as two halves (BatchSplit.TRAINING_PARTS), each with the whole batch's loss weight, whose
     * gradients are added: on two threads side by side, on one in turn. The halves are the same at every thread count,
     * so the step's numbers are too.
     */
    static Map<String, INDArray> step(ModelConfig c, Params params, Batch batch, DataType dt, boolean kernels, double[] loss, int[][][] predictions) {
        int parts = BatchSplit.trainingParts(batch.size(), batch.positions());
        if (parts == 1) {
            Nd4jPass pass = new Nd4jPass(c, params, batch.inputs(), dt, kernels, true);
            predictions[0] = argMax(pass.forward(Capture.nothing(), () -> {}), batch.size(), batch.positions());
            return pass.backward(batch.targets(), batch.weights(), loss);
        }
        double total = Nd4jPass.totalWeight(batch.weights());
        double[] partLoss = new double[parts];
        int[][][] partPredictions = new int[parts][][];
        List<Map<String, INDArray>> grads = new ArrayList<>(Collections.nCopies(parts, (Map<String, INDArray>) null));
        CountDownLatch first = new CountDownLatch(1);
        boolean inTurn = threads() < parts;
        BatchSplit.Part half = (k, check) -> {
            int from = BatchSplit.start(batch.size(), parts, k), to = BatchSplit.start(batch.size(), parts, k + 1);
            Nd4jPass pass = new Nd4jPass(c, params, Arrays.copyOfRange(batch.inputs(), from, to), dt, kernels, true, 1);
            double[] l = new double[1];
            try {
                partPredictions[k] = argMax(pass.forward(Capture.nothing(), check), to - from, batch.positions());
                Map<String, INDArray> g = pass.backward(Arrays.copyOfRange(batch.targets(), from, to), Arrays.copyOfRange(batch.weights(), from, to), l, total);
                partLoss[k] = l[0];
                grads.set(k, g);
            } finally {
                if (k == 0) first.countDown();
            }
            // the second half's gradients die with its workspace (another thread's, side by side): added to the
            // first's in place before then (x + y == y + x: the same bits as adding them in turn)
            if (k == 1 && !inTurn) addInto(awaitFirst(first, grads), grads.get(1));
        };
        if (inTurn) {
            // each half in a nested workspace the next one reuses, the first half's gradients copied out to the pass's:
            // one half's activations held at a time, not the batch's (both halves in the pass's workspace held both)
            for (int k = 0; k < parts; k++) {
                try (MemoryWorkspace h = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, HALF)) {
                    half.run(k, () -> {});
                    if (k == 0) grads.set(0, leveraged(grads.get(0)));
                    else addInto(grads.get(0), grads.get(1));
                }
            }
        } else {
            BatchSplit.run(parts, () -> {}, half);
        }
        loss[0] = partLoss[0] + partLoss[1];
        predictions[0] = new int[batch.size()][];
        for (int k = 0; k < parts; k++) System.arraycopy(partPredictions[k], 0, predictions[0], BatchSplit.start(batch.size(), parts, k), partPredictions[k].length);
        return grads.get(0);
    }

    /** The first half's gradients once its part has ended; null when it failed (its error is the one reported). */
    private static Map<String, INDArray> awaitFirst(CountDownLatch first, List<Map<String, INDArray>> grads) {
        try {
            first.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a training step ran", e);
        }
        return grads.get(0);
    }

    /** The gradients copied into the pass's workspace (out of the half's, which the next half reuses). */
    private static Map<String, INDArray> leveraged(Map<String, INDArray> grads) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        grads.forEach((name, g) -> out.put(name, g.leverageTo(PASS)));
        return out;
    }

    private static void addInto(Map<String, INDArray> sum, Map<String, INDArray> more) {
        if (sum == null) return;
        if (!sum.keySet().equals(more.keySet())) throw new IllegalStateException("the halves of a batch have different gradients: " + sum.keySet() + " vs " + more.keySet());
        sum.forEach((name, g) -> g.addi(more.get(name)));
    }

    static int[][] predict(ModelConfig c, Params params, int[][] tokens, DataType dt, boolean kernels) {
        return argMax(new Nd4jPass(c, params, tokens, dt, kernels, false).forward(Capture.nothing(), () -> {}), tokens.length, tokens[0].length);
    }

    /**
     * Opens the one workspace every pass of this thread runs in (forward, training step, similarity). One, not one per
     * kind: a workspace keeps the memory of its largest pass, and three kept the sum (peak RSS, measured).
     */
    static MemoryWorkspace activate() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, PASS);
    }

    static final String PASS = "nopelab-pass", BLOCK = "nopelab-block", HALF = "nopelab-half";

    /**
     * Opens, inside the pass's workspace, the one a block of a forward pass without backward (or a block of the
     * backward pass) runs in: it holds one block's intermediates, the next block reuses its memory, and what outlives
     * the block is leveraged to PASS. At T 1024 the four blocks' forward intermediates held at once (activations,
     * 1024-wide MLP hidden states) were ~600 MB.
     */
    static MemoryWorkspace activateBlock() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, BLOCK);
    }

    /**
     * Puts one gradient of a pass under the model's own names: a fused projection's gradient, rows (weight) or
     * entries (bias) of q, k, v in that order, is split into its three parts.
     */
    private static void putGradient(Map<String, double[]> grads, String name, double[] values) {
        if (!Params.fused(name)) {
            grads.put(name, values);
            return;
        }
        int third = values.length / 3;
        for (int k = 0; k < 3; k++) grads.put(Params.part(name, k), java.util.Arrays.copyOfRange(values, k * third, (k + 1) * third));
    }

    private static int[][] argMax(INDArray logits, int b, int n) {
        long[] flat = Nd4j.argMax(logits, 1).toLongVector();
        int[][] out = new int[b][n];
        for (int s = 0; s < b; s++) for (int t = 0; t < n; t++) out[s][t] = (int) flat[s * n + t];
        return out;
    }
}
