package org.nopelab.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nopelab.core.engines.Engines;

/** The theories of paper-spec §3 by hand, and the engine in each theory's regime against them. */
class TheoryTest {

    @Test
    void t1AndT2ByHand() {
        assertEquals(Math.sqrt(2 / 3.0), Theory.t1(2, 3), 1e-15);
        assertEquals(Theory.t1(5, 2), Theory.t1(2, 5), 0);
        // T2 with rho = 2, i = 1, j = 2: (2/2) / sqrt((1 + 2)(1 + 1)) = 1/sqrt(6)
        assertEquals(1 / Math.sqrt(6), Theory.t2(1, 2, 2), 1e-15);
        // a dominant value path (rho -> infinity) gives T1 back
        assertEquals(Theory.t1(3, 7), Theory.t2(3, 7, 1e9), 1e-6);
    }

    /**
     * K's closed form equals the cosine computed directly from its assumptions: f_i = x_i + sum_k w_ik x_k with
     * softmax weights e/D on the diagonal and e^alpha/D before it, Gram matrix (1 - alpha) I + alpha 11^T.
     */
    @Test
    void kEqualsTheGramComputation() {
        double alpha = 0.3;
        int n = 9;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            double dd = Math.E + i * Math.exp(alpha);
            for (int k = 0; k < i; k++) c[i][k] = Math.exp(alpha) / dd;
            c[i][i] = 1 + Math.E / dd;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double expected = gram(c[i], c[j], alpha) / Math.sqrt(gram(c[i], c[i], alpha) * gram(c[j], c[j], alpha));
                assertEquals(expected, Theory.k(i + 1, j + 1, alpha), 1e-12, "i=" + (i + 1) + " j=" + (j + 1));
            }
        }
    }

    private static double gram(double[] a, double[] b, double alpha) {
        double dot = 0, sa = 0, sb = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
            sa += a[k];
            sb += b[k];
        }
        return (1 - alpha) * dot + alpha * sa * sb;
    }

    @Test
    void alphaIsTheMeanOffDiagonalSimilarity() {
        assertEquals(0.25, Theory.alpha(new double[][] {{1, 0.2, 0.3}, {0.2, 1, 0.25}, {0.3, 0.25, 1}}), 1e-15);
    }

    /**
     * Uniform attention without residual, 256 sequences of 16 positions, d = 256: every pair within 4 standard
     * errors plus 2/d (the finite-width bias of a mean of ratios against a ratio of means).
     */
    @Test
    void engineInTheT1RegimeMatchesT1() {
        TheoryCheck.Outcome o = TheoryCheck.t1(Engines.byName("nd4j"), 256, 16, 256, 7);
        assertWithin(o);
        assertEquals(Math.sqrt(15 / 16.0), o.theory()[15][14], 1e-12);
    }

    @Test
    void engineInTheParameterFreeRegimeMatchesK() {
        for (double alpha : new double[] {0.0, 0.3, 0.6}) {
            TheoryCheck.Outcome o = TheoryCheck.k(Engines.byName("nd4j"), 256, 16, alpha, 256, 7);
            assertWithin(o);
        }
    }

    private static void assertWithin(TheoryCheck.Outcome o) {
        assertTrue(o.agrees(), String.format("%s alpha %.2f: max |measured - theory| %.4f, max z %.1f", o.kind(), o.parameter(), o.maxAbs(), o.maxZ()));
        // the criterion is not vacuous: the same measurement is far from the other theory
        double[][] other = Theory.matrix(o.kind() == Theory.Kind.t1 ? Theory.Kind.k : Theory.Kind.t1, o.positions(), 0.3);
        assertTrue(Math.abs(o.measured()[15][0] - other[15][0]) > 0.05);
        System.out.printf("%s alpha %.2f: max |measured - theory| %.4f, max z %.2f%n", o.kind(), o.parameter(), o.maxAbs(), o.maxZ());
    }
}
