package org.nopelab.core.run;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nopelab.core.engine.Capture;
import org.nopelab.core.engine.HiddenStates;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.metrics.AttentionStats;
import org.nopelab.core.metrics.LagProfile;
import org.nopelab.core.metrics.OrderRecovery;
import org.nopelab.core.metrics.Bounds;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.metrics.PositionSignals;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.probe.PositionProbe;

/**
 * The paper's measurement of one model: sample sequences, run them through the engine batch by batch,
 * and accumulate, per hidden state, the mean self-similarity matrix, per-sequence adjacency scores and the
 * variance signal. Pure computation: writing results is {@link ResultWriter}'s job.
 */
public final class Analysis {
    private Analysis() {}

    /** Random orders drawn for order recovery's chance level (its mean and 95th percentile). */
    static final int ORDER_CHANCE_DRAWS = 2000;

    public static AnalysisResult run(Experiment e, RunMonitor monitor) {
        return run(e, WeightInit.initialise(e.model(), e.seed()), monitor);
    }

    public static AnalysisResult run(Experiment e, ModelWeights weights, RunMonitor monitor) {
        long start = System.nanoTime();
        TransformerEngine engine = Engines.byName(e.analysis().engine());
        int[][] tokens = TokenSampler.sample(e);
        List<String> names = stateNames(e);
        Map<String, Accumulator> acc = new LinkedHashMap<>();
        for (String n : names) acc.put(n, new Accumulator(e));
        boolean attention = e.analysis().attention() && tokens[0].length <= org.nopelab.core.experiment.AnalysisConfig.ATTENTION_MAX_POSITIONS;
        if (e.analysis().attention() && !attention) {
            monitor.log("attention statistics skipped: " + tokens[0].length + " positions exceed " + org.nopelab.core.experiment.AnalysisConfig.ATTENTION_MAX_POSITIONS);
        }
        List<AttentionStats.Accumulator> blocks = new ArrayList<>();
        for (int l = 1; attention && l <= e.model().layers(); l++) blocks.add(new AttentionStats.Accumulator(l));
        int batch = e.analysis().batchSize(), samples = tokens.length;
        int batches = (samples + batch - 1) / batch;
        monitor.begin("Analysing " + e.name() + ": " + samples + " sequences x " + tokens[0].length + " positions, "
                + names.size() + " states", batches);
        try (TransformerEngine.Forwards forwards = engine.forwards(e.model(), weights)) { // the weights uploaded once per run
            for (int k = 0; k < batches; k++) {
                if (monitor.isCancelled()) throw new RunCancelledException();
                int from = k * batch, to = Math.min(samples, from + batch);
                int[][] chunk = java.util.Arrays.copyOfRange(tokens, from, to);
                // only the analysed states are copied out of the engine (every other one costs nothing)
                Capture capture = Capture.states(java.util.Set.copyOf(names));
                if (attention) capture = capture.withAttention(true);
                forwards.forward(chunk, capture, () -> {
                    if (monitor.isCancelled()) throw new RunCancelledException();
                });
                HiddenStates hs = capture.captured();
                for (String n : names) {
                    Accumulator a = acc.get(n);
                    Tensor states = hs.get(n);
                    // one sequence's matrix at a time: the batch's at once are b n^2 doubles per state
                    engine.similarities(states, e.analysis().similarity(), (m, s) -> a.addSequence(m, states.unitRoundoff()));
                    a.addBatch(states);
                }
                for (int l = 1; l <= blocks.size(); l++) {
                    blocks.get(l - 1).add(capture.attention().get(Capture.probabilities(l)), capture.attention().get(Capture.scores(l)));
                }
                monitor.worked(1, "batch " + (k + 1) + "/" + batches + " (sequences " + to + "/" + samples + ")");
            }
        }
        // scores, variance and probes per state: seconds for long sequences, so progress and cancel per state
        monitor.begin("Metrics and probes of " + names.size() + " states", names.size());
        List<StateMetrics> states = new ArrayList<>();
        // order recovery's chance depends on the positions and the seed only: drawn once for every state
        OrderRecovery.Chance orderChance = e.analysis().order() ? OrderRecovery.chance(tokens[0].length, ORDER_CHANCE_DRAWS, e.dataSeed()) : null;
        for (String n : names) {
            if (monitor.isCancelled()) throw new RunCancelledException();
            states.add(acc.get(n).finish(n, orderChance));
            monitor.worked(1, "metrics of " + n);
        }
        List<AttentionStats> stats = attention ? new ArrayList<>() : null;
        for (int l = 1; attention && l <= blocks.size(); l++) {
            int layer = l;
            stats.add(blocks.get(l - 1).finish(h -> "attention/layer" + layer + "-head" + h + ".csv"));
        }
        return new AnalysisResult(e, weights, tokens, states, engine.name(), (System.nanoTime() - start) / 1e9, null, stats);
    }

    /** layers: layer0..layerN; sublayers adds, per block, the LN outputs, attention output and mid-stream. */
    public static List<String> stateNames(Experiment e) {
        int layers = e.model().layers();
        if (!e.analysis().sublayers()) return HiddenStates.layerNames(layers);
        boolean pre = e.model().layerNorm() == LayerNormPlacement.pre;
        List<String> names = new ArrayList<>(List.of(HiddenStates.layer(0)));
        for (int l = 1; l <= layers; l++) {
            if (pre) names.add(HiddenStates.sub(l, "ln1"));
            names.add(HiddenStates.sub(l, "attn"));
            names.add(HiddenStates.sub(l, "mid"));
            if (pre) names.add(HiddenStates.sub(l, "ln2"));
            names.add(HiddenStates.sub(l, "mlp"));
            names.add(HiddenStates.layer(l));
        }
        return names;
    }

    /** The window of keys the block a state comes out of attends to (null: global attention, or the input layer). */
    private static Integer window(Experiment e, String state) {
        int l = layerOf(state);
        if (l < 1) return null;
        var b = e.model().block(l - 1);
        return b.attention() == org.nopelab.core.model.AttentionMask.sliding_window ? b.window() : null;
    }

    /** The block a state belongs to: "layer3.mid" -> 3. */
    public static int layerOf(String state) {
        String digits = state.replaceFirst("^layer(\\d+).*$", "$1");
        return digits.equals(state) ? -1 : Integer.parseInt(digits);
    }

    /** Running sums for one state over all batches. */
    private static final class Accumulator {
        final Experiment e;
        double[][] sum;
        int count;
        final Map<AdjacencyScore, List<Double>> perSequence = new EnumMap<>(AdjacencyScore.class);
        final List<double[]> variance = new ArrayList<>();
        final List<Tensor> probeStates = new ArrayList<>();
        int probeSequences;
        final List<OrderRecovery.Score> order = new ArrayList<>();
        int orderSkipped;
        final org.nopelab.core.probe.RelativeProbe.Pairs pairs;
        java.util.SplittableRandom shuffles;

        Accumulator(Experiment e) {
            this.e = e;
            for (AdjacencyScore s : e.analysis().scores()) perSequence.put(s, new ArrayList<>());
            shuffles = new java.util.SplittableRandom(e.dataSeed() ^ 0x5eed0fdL); // the hidden orders, the same for every state
            pairs = new org.nopelab.core.probe.RelativeProbe.Pairs(e.dataSeed() ^ 0x9a125L); // the probed pairs, too
        }

        /** One sequence's similarity matrix (from the engine; not kept: it may be an array the engine reuses). */
        void addSequence(double[][] s, double unitRoundoff) {
            int n = s.length;
            if (sum == null) sum = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) sum[i][j] += s[i][j];
            for (AdjacencyScore score : perSequence.keySet()) perSequence.get(score).add(score.score(s));
            if (e.analysis().order() && order.size() + orderSkipped < orderSequences(n)) {
                OrderRecovery.Score o = OrderRecovery.score(s, shuffles);
                if (o == null) orderSkipped++; // non-finite similarities: overflowed states
                else order.add(o);
            }
            if (e.analysis().probes() && pairs.sequences() < e.analysis().probeSamples()) pairs.add(s, unitRoundoff);
            count++;
        }

        /** One batch of a state, after its sequences' matrices: the states themselves (variance signal, probes). */
        void addBatch(Tensor states) {
            variance.addAll(List.of(PositionSignals.variance(states)));
            if (e.analysis().probes() && probeSequences < e.analysis().probeSamples()) {
                probeStates.add(states);
                probeSequences += states.dim(0);
            }
        }

        /** Cosine and variance probes on the kept sequences (capped at probe_samples), or null if off. */
        Map<PositionProbe.Features, PositionProbe.Score> probes() {
            if (!e.analysis().probes()) return null;
            Tensor all = Tensor.concat(probeStates, e.analysis().probeSamples());
            Map<PositionProbe.Features, PositionProbe.Score> out = new EnumMap<>(PositionProbe.Features.class);
            for (PositionProbe.Features f : PositionProbe.Features.values()) out.put(f, PositionProbe.fit(all, f));
            return out;
        }

        /** The lag profile against uniform attention over the keys the state's block sees. */
        static LagProfile lag(Integer window, double[][] mean) {
            int w = window == null ? Integer.MAX_VALUE : window;
            return LagProfile.of(mean, window, (i, j) -> org.nopelab.core.theory.Theory.uniformWindow(i, j, w));
        }

        static int orderSequences(int n) {
            return n > org.nopelab.core.experiment.AnalysisConfig.ORDER_FEW_ABOVE ? org.nopelab.core.experiment.AnalysisConfig.ORDER_FEW
                    : org.nopelab.core.experiment.AnalysisConfig.ORDER_SEQUENCES;
        }

        OrderRecovery.Result order(double[][] mean, OrderRecovery.Chance chance) {
            if (order.isEmpty()) return null;
            OrderRecovery.Score onMean = OrderRecovery.score(mean, new java.util.SplittableRandom(e.dataSeed()));
            if (onMean == null) onMean = new OrderRecovery.Score(Double.NaN, Double.NaN);
            return new OrderRecovery.Result(Estimate.of(order.stream().mapToDouble(OrderRecovery.Score::tau).toArray()).within(Bounds.PROBABILITY),
                    Estimate.of(order.stream().mapToDouble(OrderRecovery.Score::rho).toArray()).within(Bounds.PROBABILITY), onMean.tau(), onMean.rho(),
                    chance, order.size());
        }

        StateMetrics finish(String name, OrderRecovery.Chance orderChance) {
            int n = sum.length;
            double[][] mean = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) mean[i][j] = sum[i][j] / count;
            Map<AdjacencyScore, ScoreResult> scores = new EnumMap<>(AdjacencyScore.class);
            perSequence.forEach((score, values) -> scores.put(score, new ScoreResult(score.score(mean),
                    Estimate.of(values.stream().mapToDouble(Double::doubleValue).toArray()).within(Bounds.of(score.name())), score.chance(n))));
            String file = name.replace('.', '-');
            return new StateMetrics(name, layerOf(name), scores, PositionSignals.similarityByDistance(mean),
                    Estimate.columns(variance.toArray(double[][]::new)), "matrices/" + file + ".csv",
                    e.analysis().figures() ? "figures/" + file + ".png" : null, probes(), e.analysis().probes() ? pairs.fit() : null, order(mean, orderChance), lag(window(e, name), mean), mean);
        }
    }
}
