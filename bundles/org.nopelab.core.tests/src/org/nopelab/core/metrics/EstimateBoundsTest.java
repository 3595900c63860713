package org.nopelab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Intervals of bounded quantities stay inside their range, and say so when cut. */
class EstimateBoundsTest {
    @Test
    void aProbabilitysIntervalIsClippedToZeroOne() {
        // two seeds, 0.2 and 0.98: mean 0.59, half-width t(0.975, 1) x 0.39 = 12.706 x 0.39 = 4.955: far outside [0, 1]
        Estimate raw = Estimate.of(new double[] {0.2, 0.98});
        assertEquals(0.59, raw.mean(), 1e-12);
        assertEquals(0.59 + 12.706204736174698 * 0.39, raw.ci95High(), 1e-9);
        Estimate e = raw.within(Bounds.of("ap_nn"));
        assertEquals(0, e.ci95Low(), 0);
        assertEquals(1, e.ci95High(), 0);
        assertEquals(0.59, e.mean(), 1e-12, "the mean is untouched");
        assertTrue(e.clipped() && e.few(), "marked as clipped and as resting on too few samples");
        Estimate inside = Estimate.of(new double[] {0.40, 0.42, 0.41, 0.43});
        assertSame(inside, inside.within(Bounds.PROBABILITY), "an interval already inside is kept as it is");
        assertFalse(inside.few());
    }

    @Test
    void everyMetricKeyHasItsRange() {
        for (AdjacencyScore a : AdjacencyScore.values()) {
            assertEquals(Bounds.PROBABILITY, Bounds.of(a.name()));
            assertEquals(Bounds.PROBABILITY, Bounds.of(a.name() + "_chance"));
        }
        assertEquals(new Bounds(Double.NEGATIVE_INFINITY, 1), Bounds.of("probe_cosine_r2"));
        assertEquals(new Bounds(0, Double.POSITIVE_INFINITY), Bounds.of("probe_variance_mae"));
        assertEquals(Bounds.PROBABILITY, Bounds.of("token_accuracy"));
        assertEquals(Bounds.ANY, Bounds.of("something_else"));
        assertEquals(-3.0, Estimate.of(new double[] {-5, -1}).within(Bounds.of("probe_cosine_r2")).mean(), 0, "R^2 may be negative");
    }
}
