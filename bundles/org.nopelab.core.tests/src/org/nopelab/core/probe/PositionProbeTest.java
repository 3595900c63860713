package org.nopelab.core.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nopelab.core.model.Tensor;

/** Position probes on hand-built states whose answer is known. */
class PositionProbeTest {
    /** h_i = [a, -a] with a = sqrt(i): the variance across coordinates is exactly i. */
    private static Tensor varianceEqualsPosition(int sequences, int n) {
        Tensor t = Tensor.zeros(sequences, n, 2);
        for (int s = 0; s < sequences; s++) {
            for (int i = 0; i < n; i++) {
                float a = (float) Math.sqrt(i);
                t.data()[(s * n + i) * 2] = a;
                t.data()[(s * n + i) * 2 + 1] = -a;
            }
        }
        return t;
    }

    @Test
    void varianceProbeIsExactWhenVarianceIsThePosition() {
        PositionProbe.Score score = PositionProbe.fit(varianceEqualsPosition(10, 8), PositionProbe.Features.variance);
        assertEquals(1.0, score.r2(), 1e-9);
        assertEquals(0.0, score.mae(), 1e-6);
        assertEquals(1.0, score.accuracy());
        assertEquals(8 * 7, score.trainTokens(), "8 of 10 sequences, positions 1..7");
        assertEquals(2 * 7, score.testTokens());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7}, score.meanPrediction(), 1e-6, "predicted = true position");
    }
}
