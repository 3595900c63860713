package org.nopelab.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nopelab.core.engine.Adam;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.Capture;
import org.nopelab.core.engine.HiddenStates;
import org.nopelab.core.engine.LossAndGradients;
import org.nopelab.core.engine.Training;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.internal.nd4j.Nd4jEngine;
import org.nopelab.core.io.ModelFile;
import org.nopelab.core.io.Safetensors;
import org.nopelab.core.metrics.SimilarityKind;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;

/**
 * NoPE Lab's side of the engine benchmark against PyTorch (issue 6): for one model size it writes the model,
 * a batch and what the ND4J engine computes for it (hidden states, loss, gradients), so the PyTorch side can
 * check agreement on the same weights; then it times the two paths a researcher waits for: a training step
 * (forward, hand-written backward, AdamW update) and an analysis pass (every hidden state and each layer's
 * per-sequence cosine-similarity matrices, as Analysis computes them).
 */
public final class EngineBenchmark {
    private EngineBenchmark() {}

    /** One benchmark size; analysisOnly sizes (long sequences) time no training step. */
    public record Size(String name, int vocab, int dModel, int heads, int layers, int dFf, int batch, int positions, boolean analysisOnly) {
        String yaml() {
            return "schema: nopelab/experiment/1\nname: bench-" + name + "\nmodel: {vocab_size: " + vocab + ", d_model: " + dModel
                    + ", heads: " + heads + ", layers: " + layers + ", d_ff: " + dFf + ", layer_norm: pre}\n"
                    + "input: {seq_len: " + positions + ", samples: " + batch + "}\nanalysis: {probes: false}\n" // the benchmark times the engine, not the probes
                    + "task: {name: copy}\ntrain: {batch_size: " + batch + ", optimizer: adamw, lr: 0.0001}\n";
        }

        /** Multiply-adds of one forward pass: projections, attention (full T x T), MLP, unembedding. */
        public double forwardFlops() {
            double tokens = (double) batch * positions;
            double perLayer = 4.0 * dModel * dModel + 2.0 * dModel * dFf + 2.0 * positions * dModel;
            return 2 * tokens * (layers * perLayer + (double) dModel * vocab);
        }

        /** Backward costs about twice the forward pass. */
        public double trainFlops() {
            return 3 * forwardFlops();
        }

        /** The forward pass plus one T x T cosine matrix per sequence and layer. */
        public double analysisFlops() {
            return forwardFlops() + 2.0 * (layers + 1) * batch * (double) positions * positions * dModel;
        }
    }

    /** The paper's models (T 30, 6 layers, pre-LN), small ones at T 32/64/128, long analysis passes up to T 2048. */
    public static final List<Size> SIZES = List.of(
            new Size("paper-d64", 64, 64, 4, 6, 256, 64, 30, false),
            new Size("paper-d128", 64, 128, 4, 6, 512, 64, 30, false),
            new Size("paper-d256", 64, 256, 4, 6, 1024, 64, 30, false),
            new Size("d64-L2-T32", 64, 64, 4, 2, 256, 64, 32, false),
            new Size("d64-L2-T64", 64, 64, 4, 2, 256, 64, 64, false),
            new Size("d64-L2-T128", 64, 64, 4, 2, 256, 64, 128, false),
            new Size("d256-L4-T512", 64, 256, 4, 4, 1024, 8, 512, true),
            new Size("d256-L4-T1024", 64, 256, 4, 4, 1024, 8, 1024, true),
            new Size("d256-L4-T2048", 64, 256, 4, 4, 1024, 8, 2048, true));

    /**
     * The environment of the PyTorch side: its threads and, for PyTorch at its best, the OpenBLAS core NoPE Lab's
     * own OpenBLAS runs (Debian's 0.3.21 misdetects newer CPUs as ND4J's 0.3.19 does): the one the user set for
     * both, else the one chosen from the CPU's flags. The table's header says which kernels each side ran.
     */
    public static Map<String, String> pytorchEnvironment(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        if (threads > 0) env.put("OMP_NUM_THREADS", String.valueOf(threads));
        org.nopelab.nd4j.BlasCore.apply().ifPresent(core -> env.put(org.nopelab.nd4j.BlasCore.VARIABLE, core));
        return env;
    }

    public record Setup(Experiment experiment, ModelConfig config, ModelWeights weights, Batch batch) {}

    public static Setup setup(Size s) {
        ExperimentReader.Result read = ExperimentReader.read(s.yaml());
        if (!read.ok()) throw new IllegalStateException("benchmark size " + s.name() + " is not a valid experiment: " + read.problems());
        Experiment e = read.experiment();
        ModelConfig c = e.model();
        Random random = new Random(7);
        int[][] inputs = new int[s.batch()][s.positions()], targets = new int[s.batch()][s.positions()];
        float[][] weights = new float[s.batch()][s.positions()];
        for (int b = 0; b < s.batch(); b++) {
            for (int t = 0; t < s.positions(); t++) {
                inputs[b][t] = random.nextInt(s.vocab());
                targets[b][t] = random.nextInt(s.vocab());
            }
            Arrays.fill(weights[b], 1f);
        }
        return new Setup(e, c, WeightInit.initialise(c, 1), new Batch(inputs, targets, weights));
    }

    /** Writes model.safetensors, batch.safetensors and java.safetensors (states, loss, gradients) into dir. */
    public static void prepare(Size s, Setup setup, Path dir) throws IOException {
        Files.createDirectories(dir);
        ModelFile.save(dir.resolve("model.safetensors"), setup.config(), setup.weights());
        Map<String, Tensor> batch = new LinkedHashMap<>();
        batch.put("inputs", ints(setup.batch().inputs()));
        batch.put("targets", ints(setup.batch().targets()));
        Safetensors.write(dir.resolve("batch.safetensors"), batch, Map.of());
        TransformerEngine engine = Engines.standard();
        Map<String, Tensor> out = new LinkedHashMap<>();
        HiddenStates states = engine.forward(setup.config(), setup.weights(), setup.batch().inputs());
        for (String n : HiddenStates.layerNames(setup.config().layers())) out.put("state." + n, states.get(n));
        if (!s.analysisOnly()) {
            LossAndGradients lg = engine.lossAndGradients(setup.config(), setup.weights(), setup.batch());
            out.put("loss", new Tensor(new long[] {1}, new float[] {(float) lg.loss()}));
            for (var g : lg.gradients().entrySet()) {
                Tensor w = setup.weights().get(g.getKey());
                float[] f = new float[g.getValue().length];
                for (int k = 0; k < f.length; k++) f[k] = (float) g.getValue()[k];
                out.put("grad." + g.getKey(), new Tensor(w.shape(), f));
            }
        }
        Safetensors.write(dir.resolve("java.safetensors"), out, Map.of());
    }

    /**
     * Median wall times in ms over repeats after warm-up, the process CPU time of those same runs (every thread:
     * on a shared machine wall time grows with the neighbours' load, CPU time much less), and the peak RSS; the
     * rival's medians of its runs interleaved with these.
     */
    public record Timing(Ms train, Ms analysis, double peakRssMb, Ms rivalTrain, Ms rivalAnalysis) {}

    /** One timed run: wall and process CPU milliseconds. */
    public record Ms(double wall, double cpu) {
        public static final Ms NONE = new Ms(Double.NaN, Double.NaN);
    }

    /**
     * The other side of the comparison (PyTorch's process), timed in turn with NoPE Lab: one of its runs after each
     * of ours, so that both sides' medians come from the same minutes of a shared machine. Run one after the other,
     * the two sides saw different neighbours: PyTorch's own median moved 30% and more between runs of the same size
     * (718 / 826 / 964 ms for paper-d256 within an hour, measured), more than the gaps being measured. Each side warms
     * up on its own before the first timed run of a kind.
     */
    public interface Rival {
        Ms analysis();

        Ms train();
    }

    /** Our timings and the rival's, its runs taken in turn with ours. */
    public static Timing time(Size s, Setup setup, int repeats, Rival rival) {
        TransformerEngine engine = Engines.standard();
        // give back what earlier sizes left on the heap (G1 shrinks the heap on a full GC), then start the peak here
        System.gc();
        System.gc();
        PeakRss.reset();
        Ms[] analysis;
        try (TransformerEngine.Forwards forwards = engine.forwards(setup.config(), setup.weights())) {
            analysis = medianMs(2, repeats, analysisPass(engine, forwards, setup), rival::analysis);
        }
        Ms[] train = {Ms.NONE, Ms.NONE};
        if (!s.analysisOnly()) {
            // a training step as training runs it: the engine's session, parameters and moments held in the engine
            try (Training session = engine.train(setup.config(), setup.weights(), setup.experiment().train().adam(), Map.of(), 0)) {
                train = medianMs(3, repeats, () -> session.step(setup.batch(), setup.experiment().train().lr()), rival::train);
            }
        }
        return new Timing(train[0], analysis[0], PeakRss.mb(), train[1], analysis[1]);
    }

    /** ND4J's op profile of one analysis pass and, unless the size is analysis-only, of one training step (after a warm-up). */
    public static String profile(Size s, Setup setup) {
        TransformerEngine engine = Engines.standard();
        String out;
        try (TransformerEngine.Forwards forwards = engine.forwards(setup.config(), setup.weights())) {
            Runnable analysis = analysisPass(engine, forwards, setup);
            analysis.run();
            out = "analysis pass of " + s.name() + "\n" + Nd4jEngine.profile(analysis);
        }
        if (s.analysisOnly()) return out;
        try (Training session = engine.train(setup.config(), setup.weights(), setup.experiment().train().adam(), Map.of(), 0)) {
            Runnable train = () -> session.step(setup.batch(), setup.experiment().train().lr());
            train.run();
            return out + "\n\ntraining step of " + s.name() + "\n" + Nd4jEngine.profile(train);
        }
    }

    /**
     * What the benchmark calls an analysis pass: a forward pass, then each layer's cosine matrices, as Analysis runs it:
     * the analysed states captured (every other one not copied out; PyTorch's side keeps references, which cost
     * nothing) and one sequence's matrix at a time. The weights are uploaded before, as Analysis does once per run
     * (and PyTorch's side holds its model's).
     */
    private static Runnable analysisPass(TransformerEngine engine, TransformerEngine.Forwards forwards, Setup setup) {
        List<String> layers = HiddenStates.layerNames(setup.config().layers());
        int positions = setup.batch().positions();
        return () -> {
            Capture capture = Capture.states(java.util.Set.copyOf(layers));
            forwards.forward(setup.batch().inputs(), capture, () -> {});
            for (String n : layers) { // each layer's mean matrix over the batch, as PyTorch's side computes it
                double[][] mean = new double[positions][positions];
                engine.similarities(capture.captured().get(n), SimilarityKind.cosine, (m, seq) -> {
                    for (int i = 0; i < positions; i++) for (int j = 0; j < positions; j++) mean[i][j] += m[i][j];
                });
            }
        };
    }

    /**
     * Warm-up runs: at least warmup, and until WARM_UP_NANOS have passed. The fused kernels are Java: the JIT turns
     * their Vector API calls into vector instructions only in its last tier, after thousands of loop iterations (a
     * cold first call of a paper-size block's kernels took 0.9 s, a warm one 20 ms, measured); a training run
     * reaches that within its first steps, and the benchmark times what the run spends its time in.
     */
    static final long WARM_UP_NANOS = 3_000_000_000L;

    /** Our median and the rival's, over runs taken in turn with ours: {ours, theirs}. */
    static Ms[] medianMs(int warmup, int repeats, Runnable body, java.util.function.Supplier<Ms> rival) {
        long start = System.nanoTime();
        for (int k = 0; k < warmup || System.nanoTime() - start < WARM_UP_NANOS; k++) body.run();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        List<Ms> ours = new ArrayList<>(), theirs = new ArrayList<>();
        for (int k = 0; k < repeats; k++) {
            long t = System.nanoTime(), c = os.getProcessCpuTime();
            body.run();
            ours.add(new Ms((System.nanoTime() - t) / 1e6, (os.getProcessCpuTime() - c) / 1e6));
            theirs.add(rival.get());
        }
        return new Ms[] {median(ours), median(theirs)};
    }

    /** The run with the median wall time (its CPU time with it: the two belong to one run). */
    static Ms median(List<Ms> runs) {
        List<Ms> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Ms::wall));
        return sorted.get(sorted.size() / 2);
    }

    private static Tensor ints(int[][] rows) {
        float[] f = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) for (int c = 0; c < rows[r].length; c++) f[r * rows[0].length + c] = rows[r][c];
        return new Tensor(new long[] {rows.length, rows[0].length}, f);
    }
}
