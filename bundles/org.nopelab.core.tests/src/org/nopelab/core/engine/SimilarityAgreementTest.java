package org.nopelab.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.metrics.SelfSimilarity;
import org.nopelab.core.metrics.SimilarityKind;
import org.nopelab.core.model.Tensor;

/** The ND4J engine's batched similarity matrices equal the plain-Java loops (both float64). */
class SimilarityAgreementTest {
    @Test
    void nd4jSimilarityEqualsTheJavaLoopsForEveryKind() {
        int b = 3, n = 7, d = 5;
        Tensor states = Tensor.zeros(b, n, d);
        Random r = new Random(3);
        for (int k = 0; k < states.data().length; k++) states.data()[k] = (float) r.nextGaussian();
        for (int c = 0; c < d; c++) states.data()[(1 * n + 4) * d + c] = 0f; // a zero vector: similarity 0, not NaN
        for (int c = 0; c < d; c++) states.data()[(2 * n + 2) * d + c] = 1.5f; // constant: zero after centring
        TransformerEngine nd4j = Engines.byName("nd4j");
        for (SimilarityKind kind : SimilarityKind.values()) {
            double[][][] expected = SelfSimilarity.perSequence(states, kind), actual = nd4j.similarity(states, kind);
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) assertEquals(expected[s][i][j], actual[s][i][j], 1e-12, kind + " s=" + s + " i=" + i + " j=" + j);
                }
            }
        }
    }
}
