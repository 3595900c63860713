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

    @Test
    void claimsWithoutTheirExperimentsAreNotRunRatherThanJudged() throws Exception {
        List<Verdict> verdicts = Claims.all(Map.of(), List.of());
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "PE"), verdicts.stream().map(Verdict::id).toList());
        assertTrue(verdicts.stream().allMatch(v -> v.status() == Verdict.Status.not_run && v.numbers().isEmpty()), verdicts.toString());
    }
}
