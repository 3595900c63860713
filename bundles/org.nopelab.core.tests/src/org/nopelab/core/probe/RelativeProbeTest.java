package org.nopelab.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The relative-distance probe on matrices whose answer is known. */
class RelativeProbeTest {
    private static RelativeProbe.Pairs pairs(int sequences, int n, double noise, boolean ordered) {
        SplittableRandom r = new SplittableRandom(4);
        RelativeProbe.Pairs p = new RelativeProbe.Pairs(1);
        for (int q = 0; q < sequences; q++) {
            double[][] s = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    s[i][j] = s[j][i] = i == j ? 1 : (ordered ? Math.exp(-(i - j) / 6.0) : 0.5) + noise * r.nextGaussian();
                }
            }
            p.add(s, 0x1p-24);
        }
        return p;
    }

    /** Similarity that decays with distance: the distance is read back almost exactly. */
    @Test
    void aDecayingMatrixGivesItsDistances() {
        PositionProbe.Score s = pairs(50, 30, 0.002, true).fit();
        assertTrue(s.defined(), s.undefined());
        assertTrue(s.r2() > 0.9, "R^2 " + s.r2());
        assertEquals(10 * 200, s.testTokens(), "the last 20% of 50 sequences, 200 pairs each");
    }

    /** Position-blind noise around a constant: nothing to read, R^2 about 0 on held-out pairs. */
    @Test
    void noiseWithoutDistanceScoresChance() {
        PositionProbe.Score s = pairs(50, 30, 0.05, false).fit();
        assertTrue(s.defined(), s.undefined());
        assertEquals(0, s.r2(), 0.03);
    }

    /** A constant matrix has constant features: undefined, with the reason, not a score of noise. */
    @Test
    void constantFeaturesAreUndefined() {
        PositionProbe.Score s = pairs(20, 12, 0, false).fit();
        assertFalse(s.defined());
        assertTrue(s.undefined().contains("constant up to rounding"), s.undefined());
    }
}
