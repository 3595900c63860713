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
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "PE", "LG"), verdicts.stream().map(Verdict::id).toList());
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
                "input none; blocks none, none", training, List.of());
        java.nio.file.Path d = java.nio.file.Files.createDirectories(dir.resolve("subjects").resolve(subject));
        org.nopelab.core.io.Json.MAPPER.writeValue(d.resolve("metrics.json").toFile(), summary);
    }
}
