package org.nopelab.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.io.Csv;
import org.nopelab.core.io.Json;
import org.nopelab.core.io.ModelFile;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.monitor.RunCancelledException;
import org.nopelab.core.monitor.RunMonitor;

/** The paper's headline measurements on small random-init models, end to end through the result folder. */
class AnalysisTest {
    @TempDir
    Path tmp;

    static final String NOPE = """
            schema: nopelab/experiment/1
            name: tiny
            model: {vocab_size: 64, d_model: 128, heads: 4, layers: 3, d_ff: 256, init: {scheme: normal, std: 0.02}}
            input: {seq_len: 24, samples: 48}
            analysis: {batch_size: 16}
            """;

    static ExperimentReader.Result read(String yaml) {
        ExperimentReader.Result r = ExperimentReader.read(yaml);
        assertTrue(r.ok(), r.problems().toString());
        return r;
    }

    static double score(AnalysisResult r, String state, AdjacencyScore score) {
        return r.states().stream().filter(s -> s.name().equals(state)).findFirst().orElseThrow()
                .scores().get(score).perSequence().mean();
    }

    static double apnn(AnalysisResult r, String state) {
        return score(r, state, AdjacencyScore.ap_nn);
    }

    @Test
    void inputLayerIsAtChanceAndEveryLaterLayerShowsAdjacency() {
        AnalysisResult r = Analysis.run(read(NOPE).experiment(), RunMonitor.NONE);
        double chance = AdjacencyScore.ap_nn.chance(24);
        assertEquals(chance, apnn(r, "layer0"), 0.03, "token embeddings carry no position");
        assertEquals(0.5, score(r, "layer0", AdjacencyScore.ap_neighbour), 0.03);
        for (int l = 1; l <= 3; l++) {
            // measured at this size: ap_nn 0.21-0.30 against chance 0.085, ap_neighbour 0.71-0.80
            assertTrue(apnn(r, "layer" + l) > 2.5 * chance, "layer" + l + ": " + apnn(r, "layer" + l));
            assertTrue(score(r, "layer" + l, AdjacencyScore.ap_neighbour) > 0.65, "layer" + l);
        }
        // order recovery: chance at the input, far above the chance band after the first causal attention
        var input = state(r, "layer0").order();
        assertEquals(input.chance().tau(), input.tau().mean(), 0.05, "layer0 |tau| " + input.tau());
        for (int l = 1; l <= 3; l++) {
            var o = state(r, "layer" + l).order();
            assertTrue(o.tau().ci95Low() > o.chance().tau95(), "layer" + l + " |tau| " + o.tau() + " chance " + o.chance());
        }
        // the relative-distance probe reads i - j from pair cosines after the first causal attention, not at the input
        assertTrue(state(r, "layer0").relativeProbe().r2() < 0.05, "layer0 relative R^2 " + state(r, "layer0").relativeProbe().r2());
        assertTrue(state(r, "layer2").relativeProbe().r2() > 0.2, "layer2 relative R^2 " + state(r, "layer2").relativeProbe().r2());
        // causal attention at small init is near uniform: entropy near log(i + 1), sink rate near mean 1/(i + 1)
        assertEquals(3, r.attention().size());
        var head = r.attention().get(0).heads().get(0);
        assertEquals(head.uniformEntropy(), head.entropy(), 0.05 * head.uniformEntropy());
        assertTrue(head.sinkRate() > 0.05 && head.sinkRate() < 0.3, "sink rate " + head.sinkRate());
    }

    /** Claim 4's std 1 cell without LN overflows: the analysis still finishes, order recovery where states are finite only. */
    @Test
    void overflowingStatesLeaveNoOrderButFinish() {
        String yaml = """
                schema: nopelab/experiment/1
                name: overflow
                model: {vocab_size: 64, d_model: 256, heads: 4, layers: 6, d_ff: 1024, layer_norm: none, init: {scheme: normal, std: 1}}
                input: {seq_len: 30, samples: 16}
                analysis: {probes: false}
                """;
        AnalysisResult r = Analysis.run(read(yaml).experiment(), RunMonitor.NONE);
        StateMetrics last = state(r, "layer6");
        assertTrue(java.util.Arrays.stream(last.meanMatrix()).flatMapToDouble(java.util.Arrays::stream).anyMatch(v -> !Double.isFinite(v)), "the states overflowed");
        assertTrue(last.order() == null || last.order().sequences() < 16, "overflowed sequences are not seriated");
        assertNotNull(state(r, "layer1").order(), "the layers before the overflow are");
    }

    static StateMetrics state(AnalysisResult r, String name) {
        return r.states().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void bidirectionalControlStaysAtChance() {
        AnalysisResult r = Analysis.run(read(NOPE.replace("std: 0.02}", "std: 0.02}, attention: bidirectional")).experiment(), RunMonitor.NONE);
        double chance = AdjacencyScore.ap_nn.chance(24);
        for (int l = 0; l <= 3; l++) {
            assertEquals(chance, apnn(r, "layer" + l), 0.03, "layer" + l);
            assertEquals(0.5, score(r, "layer" + l, AdjacencyScore.ap_neighbour), 0.03, "layer" + l);
            // without the mask attention is permutation-equivariant: no order to recover
            var o = state(r, "layer" + l).order();
            assertEquals(o.chance().tau(), o.tau().mean(), 0.05, "layer" + l + " |tau| " + o.tau());
        }
    }

    @Test
    void sameFileSameNumbersAndEnginesAgree() {
        Experiment e = read(NOPE).experiment();
        AnalysisResult a = Analysis.run(e, RunMonitor.NONE), b = Analysis.run(e, RunMonitor.NONE);
        for (int i = 0; i < a.states().size(); i++) {
            assertArrayEquals(a.states().get(i).similarityByDistance(), b.states().get(i).similarityByDistance(), 0);
            assertEquals(a.states().get(i).scores(), b.states().get(i).scores());
        }
        Experiment ref = read(NOPE.replace("batch_size: 16", "batch_size: 16, engine: reference")).experiment();
        AnalysisResult c = Analysis.run(ref, RunMonitor.NONE);
        assertArrayEquals(a.states().get(3).similarityByDistance(), c.states().get(3).similarityByDistance(), 1e-5);
    }

    /**
     * The reference engine is the float64 check: its states reach the metrics unrounded. The variance signal of a
     * post-LN stream is the quantity that tells the two precisions apart (it is 1 up to the LayerNorm's epsilon).
     */
    @Test
    void referenceEngineKeepsFloat64ThroughTheMetrics() {
        Experiment e = read(NOPE.replace("batch_size: 16", "batch_size: 48, engine: reference").replace("layers: 3,", "layers: 1, layer_norm: post,")).experiment();
        AnalysisResult r = Analysis.run(e, RunMonitor.NONE);
        org.nopelab.core.model.Tensor states = new org.nopelab.core.engine.reference.ReferenceEngine()
                .forward(e.model(), r.weights(), r.tokens()).get("layer1");
        org.junit.jupiter.api.Assertions.assertNotNull(states.precise(), "the reference engine hands over float64 states");
        double[][] exact = org.nopelab.core.metrics.PositionSignals.variance(states);
        double[][] rounded = org.nopelab.core.metrics.PositionSignals.variance(new org.nopelab.core.model.Tensor(states.shape(), states.data()));
        double mean = 0, meanRounded = 0;
        for (int s = 0; s < exact.length; s++) { mean += exact[s][5] / exact.length; meanRounded += rounded[s][5] / exact.length; }
        StateMetrics layer1 = r.states().get(1);
        assertEquals(mean, layer1.variance()[5].mean(), 1e-15, "the metric is the float64 one");
        assertTrue(Math.abs(meanRounded - mean) > 1e-12, "and differs from the float32 copy: " + (meanRounded - mean));
        // at this post-LN output the variance probe is rounding in float32, but float64 resolves the epsilon's trace
        assertEquals("reference", r.engine());
    }

    @Test
    void resultFolderIsCompleteAndReadable() throws IOException {
        ExperimentReader.Result in = read(NOPE.replace("layers: 3", "layers: 2"));
        AnalysisResult r = Analysis.run(in.experiment(), RunMonitor.NONE);
        Path dir = ResultWriter.write(r, in.resolved(), NOPE, tmp, FigureRenderer.NONE, RunMonitor.NONE);
        for (String f : List.of("experiment.yaml", "experiment.resolved.yaml", "provenance.json", "metrics.json",
                "matrices/layer0.csv", "matrices/layer2.csv", "curves/similarity-by-distance.csv",
                "curves/variance-by-position.csv", "curves/scores-by-state.csv", "model.safetensors", "tokens.csv")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        JsonNode metrics = Json.MAPPER.readTree(dir.resolve("metrics.json").toFile());
        assertEquals("nopelab/result/1", metrics.get("format").asText());
        JsonNode layer2 = metrics.get("states").get(2);
        assertEquals("layer2", layer2.get("name").asText());
        assertEquals(apnn(r, "layer2"), layer2.at("/scores/ap_nn/per_sequence/mean").asDouble(), 0);
        assertTrue(layer2.at("/scores/ap_nn/per_sequence/ci95_low").asDouble() < layer2.at("/scores/ap_nn/per_sequence/ci95_high").asDouble());
        JsonNode prov = Json.MAPPER.readTree(dir.resolve("provenance.json").toFile());
        assertEquals(64, prov.get("experiment_sha256").asText().length());
        assertEquals("1.0.0-M2.1", prov.get("nd4j_version").asText());

        ResultFolder folder = ResultFolder.open(dir);
        double[][] m = folder.matrix(folder.summary().states().get(1));
        assertArrayEquals(r.states().get(1).meanMatrix()[5], m[5], 1e-15);
        assertEquals(r.states().get(1).scores(), folder.summary().states().get(1).scores());

        // the saved model and tokens reproduce the hidden states
        ModelFile.Loaded model = ModelFile.load(dir.resolve("model.safetensors"));
        assertEquals(in.experiment().model(), model.config());
        int[][] tokens = Csv.readTokens(dir.resolve("tokens.csv"));
        assertArrayEquals(r.tokens()[7], tokens[7]);
        float[] again = Engines.byName("nd4j").forward(model.config(), model.weights(), new int[][] {tokens[0]}).get("layer1").data();
        float[] original = Engines.byName("nd4j").forward(in.experiment().model(), r.weights(), new int[][] {r.tokens()[0]}).get("layer1").data();
        assertArrayEquals(original, again, 0);
    }

    @Test
    void cancelledRunLeavesNothingBehind() throws IOException {
        ExperimentReader.Result in = read(NOPE);
        assertThrows(RunCancelledException.class, () -> Analysis.run(in.experiment(), new CancelAfter(1)));
        AnalysisResult r = Analysis.run(in.experiment(), RunMonitor.NONE);
        FigureRenderer failing = (title, matrix, png) -> { throw new IOException("disk full"); };
        assertThrows(IOException.class, () -> ResultWriter.write(r, in.resolved(), NOPE, tmp, failing, RunMonitor.NONE));
        try (Stream<Path> left = Files.list(tmp)) {
            assertFalse(left.findAny().isPresent(), "no partial result folder may remain");
        }
    }
}
