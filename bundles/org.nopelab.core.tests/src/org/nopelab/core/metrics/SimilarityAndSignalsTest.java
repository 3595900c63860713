package org.nopelab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nopelab.core.model.Tensor;

class SimilarityAndSignalsTest {
    /** one sequence of three 2-d states: (1,0), (1,1), (0,0) */
    private final Tensor states = new Tensor(new long[] {1, 3, 2}, new float[] {1, 0, 1, 1, 0, 0});

    @Test
    void cosineByHand() {
        double[][] s = SelfSimilarity.perSequence(states, SimilarityKind.cosine)[0];
        assertEquals(1.0, s[0][0], 1e-12);
        assertEquals(1 / Math.sqrt(2), s[0][1], 1e-7);
        assertEquals(s[0][1], s[1][0], 0);
        assertEquals(0.0, s[0][2], 0, "a zero vector has similarity 0, not NaN");
    }

    @Test
    void dotAndPearsonByHand() {
        assertEquals(1.0, SelfSimilarity.perSequence(states, SimilarityKind.dot)[0][0][1], 1e-12);
        assertEquals(2.0, SelfSimilarity.perSequence(states, SimilarityKind.dot)[0][1][1], 1e-12);
        // centred: (0.5,-0.5), (0,0) -> 0; (0.5,-0.5) with itself -> 1
        double[][] p = SelfSimilarity.perSequence(states, SimilarityKind.pearson)[0];
        assertEquals(0.0, p[0][1], 1e-12);
        assertEquals(1.0, p[0][0], 1e-12);
    }

    @Test
    void varianceAcrossCoordinates() {
        Tensor t = new Tensor(new long[] {1, 2, 3}, new float[] {1, 2, 3, 5, 5, 5});
        assertArrayEquals(new double[] {2 / 3.0, 0}, PositionSignals.variance(t)[0], 1e-7);
    }

    @Test
    void similarityByDistanceAveragesDiagonals() {
        double[][] s = {{1, 0.5, 0.1}, {0.5, 1, 0.7}, {0.1, 0.7, 1}};
        assertArrayEquals(new double[] {1, 0.6, 0.1}, PositionSignals.similarityByDistance(s), 1e-12);
    }

    @Test
    void estimateHasStudentInterval() {
        Estimate e = Estimate.of(new double[] {1, 2, 3, 4});
        double half = 3.182446305284263 * Math.sqrt(5 / 3.0) / 2; // t(0.975, 3) from tables; sample sd sqrt(5/3), n = 4
        assertEquals(2.5, e.mean(), 1e-12);
        assertEquals(2.5 - half, e.ci95Low(), 1e-8); // commons-math inverts the t CDF to about 1e-9
        assertEquals(2.5 + half, e.ci95High(), 1e-8);
        assertEquals(4, e.n());
    }
}
