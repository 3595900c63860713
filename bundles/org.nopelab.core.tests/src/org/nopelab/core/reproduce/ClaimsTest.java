package org.nopelab.core.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nopelab.core.metrics.Estimate;

/** The thresholds the verdicts use, on hand-chosen numbers (chance 0.068, the paper-size ap_nn chance). */
class ClaimsTest {
    static final double CHANCE = 0.068;

    @Test
    void patternNeedsAnIntervalAboveChanceAndTwiceChance() {
        assertTrue(Claims.present(new Estimate(0.42, 0.41, 0.43, 256), CHANCE));
        assertFalse(Claims.present(new Estimate(0.13, 0.12, 0.14, 256), CHANCE), "0.13 < 2 x 0.068");
        assertFalse(Claims.present(new Estimate(0.20, 0.05, 0.35, 3), CHANCE), "interval reaches below chance");
        assertEquals("pattern", Claims.describe(new Estimate(0.42, 0.41, 0.43, 256), CHANCE));
        assertEquals("weak", Claims.describe(new Estimate(0.12, 0.11, 0.13, 256), CHANCE));
        assertEquals("no pattern", Claims.describe(new Estimate(0.10, 0.09, 0.11, 256), CHANCE), "0.10 < 1.5 x 0.068");
    }

    /** A sweep cell that has ap_nn but no ap_nn_chance (an older or hand-made sweep.json) is judged, not a crash. */
    @Test
    void aCellWithoutChanceIsJudgedWithoutCrashing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        var layer1 = new org.nopelab.core.run.SweepSummary.Layer(1, Map.of("ap_nn", new Estimate(0.4, 0.39, 0.41, 3)));
        var layer0 = new org.nopelab.core.run.SweepSummary.Layer(0, Map.of("ap_nn", new Estimate(0.07, 0.06, 0.08, 3)));
        var cell = new org.nopelab.core.run.SweepSummary.Cell(0, "00_std=0.02", Map.of("model.init.std", org.nopelab.core.io.Json.MAPPER.valueToTree(0.02)),
                List.of(1L, 2L, 3L), Map.of("random", new org.nopelab.core.run.SweepSummary.Subject(List.of(layer0, layer1), Map.of())));
        var summary = new org.nopelab.core.run.SweepSummary(org.nopelab.core.run.SweepSummary.FORMAT, "s", Map.of("model.init.std",
                List.of(org.nopelab.core.io.Json.MAPPER.valueToTree(0.02))), List.of(1L, 2L, 3L), true, 3, 3, List.of(cell), List.of());
        org.nopelab.core.io.Json.MAPPER.writeValue(tmp.resolve("sweep.json").toFile(), summary);
        Verdict v = Claims.firstLayer(tmp, null);
        assertEquals(Verdict.Status.fails, v.status(), "no chance level: nothing can be called high");
        assertEquals(1, v.numbers().size());
    }

    @Test
    void claimsWithoutTheirExperimentsAreNotRunRatherThanJudged() throws Exception {
        List<Verdict> verdicts = Claims.all(Map.of(), List.of());
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "PE", "LG", "OR", "LAG", "ATT", "LEN"), verdicts.stream().map(Verdict::id).toList());
        assertTrue(verdicts.stream().allMatch(v -> v.status() == Verdict.Status.not_run && v.numbers().isEmpty()), verdicts.toString());
    }

    /** Length generalisation is judged at the longest factor: NoPE must lead learned and sinusoidal PE by 0.05. */
    @Test
    void lengthGeneralisationNeedsNopeAheadOfBothContrasts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        write(tmp, "nope", 0.985, 0.654);
        write(tmp, "learned", 1.0, 0.315);
        write(tmp, "sinusoidal", 1.0, 0.297);
        Verdict v = Claims.lengthGeneralisation(tmp);
        assertEquals(Verdict.Status.holds, v.status(), v.summary());
        assertTrue(v.summary().contains("nope 0.654") && v.summary().contains("at 4x"), v.summary());
        assertEquals(6, v.numbers().size());
        write(tmp, "sinusoidal", 1.0, 0.62); // within 0.05 of NoPE: not beaten
        assertEquals(Verdict.Status.partly, Claims.lengthGeneralisation(tmp).status());
        write(tmp, "learned", 1.0, 0.9);
        assertEquals(Verdict.Status.fails, Claims.lengthGeneralisation(tmp).status());
    }

    private static void write(java.nio.file.Path dir, String subject, double atOne, double atFour) throws java.io.IOException {
        var points = List.of(new org.nopelab.core.train.LengthGeneralisation.Point(1, 16, atOne, atOne, true),
                new org.nopelab.core.train.LengthGeneralisation.Point(4, 64, atFour, atFour, true));
        var training = new org.nopelab.core.run.ResultSummary.TrainingSummary("copy", 600, atOne, atOne, 0.01, 10, 60, 0, true, "held out", points);
        var summary = new org.nopelab.core.run.ResultSummary(org.nopelab.core.run.ResultSummary.FORMAT, "lg-" + subject, "", "nd4j", "cosine", 16, 8, 1,
                "input none; blocks none, none", training, List.of(), null);
        java.nio.file.Path d = java.nio.file.Files.createDirectories(dir.resolve("subjects").resolve(subject));
        org.nopelab.core.io.Json.MAPPER.writeValue(d.resolve("metrics.json").toFile(), summary);
    }

    /**
     * Claim 2 on one task: learned, and the trained model keeps the pattern on uniform tokens and, where the
     * random-init model shows it there, on the task's own inputs; inputs where even random init has none are
     * reported as unable to test, not held against the claim.
     */
    @Test
    void trainedPatternIsJudgedOnUniformAndTaskInputs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        double chance = 0.068; // ap_nn's chance at 30 positions
        java.nio.file.Path run = tmp.resolve("parity");
        subject(run, "random", chance, 30, null, 0.06, 0.18, 0.20);
        subject(run, "trained", chance, 30, 0.99, 0.06, 0.17, 0.16);
        subject(run, "random-on-task", chance, 31, null, 0.0, 0.0, 0.0);
        subject(run, "trained-on-task", chance, 31, 0.99, 0.0, 0.02, 0.04);
        Verdict v = Claims.trained(Map.of("2-trained-parity", run));
        // one task of three needed for "holds": partly, with the uniform rows counted and the task inputs excused
        assertEquals(Verdict.Status.partly, v.status(), v.summary());
        assertTrue(v.summary().contains("on uniform tokens in 2 of 2 layers") && v.summary().contains("show no pattern even at random init"), v.summary());
        assertEquals(List.of("claim2-parity", "claim2-parity-on-task"), v.figures().stream().map(Verdict.Figure::file).toList());

        // task inputs that do show the pattern at random init must keep it after training
        subject(run, "random-on-task", chance, 31, null, 0.06, 0.18, 0.20);
        Verdict lost = Claims.trained(Map.of("2-trained-parity", run));
        assertTrue(lost.summary().contains("on its own 31-position inputs 0 of 2 layers"), lost.summary());
        assertEquals(Verdict.Status.fails, lost.status(), lost.summary());

        // not learned: no evidence, whatever the pattern does
        subject(run, "trained", chance, 30, 0.55, 0.06, 0.17, 0.16);
        subject(run, "trained-on-task", chance, 31, 0.55, 0.06, 0.17, 0.16);
        assertTrue(Claims.trained(Map.of("2-trained-parity", run)).summary().contains("not learned, so no evidence"));
        assertEquals(Verdict.Status.fails, Claims.trained(Map.of("2-trained-parity", run)).status());
    }

    /** A subject folder with ap_nn per layer (tight intervals of +-0.005) and, when trained, its held-out accuracy. */
    private static void subject(java.nio.file.Path dir, String name, double chance, int positions, Double accuracy, double... apNN) throws java.io.IOException {
        List<org.nopelab.core.run.StateMetrics> states = new java.util.ArrayList<>();
        for (int l = 0; l < apNN.length; l++) {
            var score = new org.nopelab.core.run.ScoreResult(apNN[l], new org.nopelab.core.metrics.Estimate(apNN[l], apNN[l] - 0.005, apNN[l] + 0.005, 256), chance);
            states.add(new org.nopelab.core.run.StateMetrics("layer" + l, l, Map.of(org.nopelab.core.metrics.AdjacencyScore.ap_nn, score), new double[0],
                    new org.nopelab.core.metrics.Estimate[0], null, null, null, null, null, null, null));
        }
        var training = accuracy == null ? null : new org.nopelab.core.run.ResultSummary.TrainingSummary("parity", 1500, accuracy, accuracy, 0.01, 10, 60, 0, true,
                "held out", List.of());
        var summary = new org.nopelab.core.run.ResultSummary(org.nopelab.core.run.ResultSummary.FORMAT, "claim2-" + name, "", "nd4j", "cosine", positions, 256, 1,
                "input none; blocks none, none", training, states, null);
        java.nio.file.Path d = java.nio.file.Files.createDirectories(dir.resolve("subjects").resolve(name));
        org.nopelab.core.io.Json.MAPPER.writeValue(d.resolve("metrics.json").toFile(), summary);
    }

    /** Claim ATT: NoPE's first-block offset R^2 stays below the margin; RoPE's and ALiBi's must exceed it by the margin once trained. */
    @Test
    void offsetDependenceIsJudgedOnTheFirstBlock(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        attention(tmp, "nope", 0.01);
        attention(tmp, "nope-trained", 0.02);
        attention(tmp, "rope-trained", 0.99);
        attention(tmp, "alibi-trained", 0.85);
        Verdict v = PositionClaims.attention(tmp);
        assertEquals(Verdict.Status.holds, v.status(), v.summary());
        assertTrue(v.summary().contains("rope-trained 0.990"), v.summary());
        assertEquals(8, v.numbers().size(), "offset R^2 and sink rate of each subject's one block");
        attention(tmp, "nope-trained", 0.34); // NoPE's scores depending on the offset: the claim is partly wrong
        assertEquals(Verdict.Status.partly, PositionClaims.attention(tmp).status());
    }

    private static void attention(java.nio.file.Path dir, String subject, double r2) throws java.io.IOException {
        var head = new org.nopelab.core.metrics.AttentionStats.Head(0, 0.1, 2.0, 2.4, new double[] {0, 1}, new double[] {0, Math.log(2)}, r2, "attention/layer1-head0.csv", "attention/layer1-head0-first.csv", null, null);
        var summary = new org.nopelab.core.run.ResultSummary(org.nopelab.core.run.ResultSummary.FORMAT, "att-" + subject, "", "nd4j", "cosine", 30, 8, 1,
                "input none; blocks none", null, List.of(), List.of(new org.nopelab.core.metrics.AttentionStats(1, List.of(head))));
        java.nio.file.Path d = java.nio.file.Files.createDirectories(dir.resolve("subjects").resolve(subject));
        org.nopelab.core.io.Json.MAPPER.writeValue(d.resolve("metrics.json").toFile(), summary);
    }
}
