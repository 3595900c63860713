package org.nopelab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AdjacencyScoreTest {
    /** S_ij = -|i - j|: similarity falls with distance, a perfect adjacency pattern. */
    static double[][] banded(int n) {
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i][j] = -Math.abs(i - j);
        return s;
    }

    @Test
    void perfectBandScoresOneOnEveryVariant() {
        for (AdjacencyScore a : AdjacencyScore.values()) assertEquals(1.0, a.score(banded(12)), 1e-12, a.name());
    }

    @Test
    void constantMatrixScoresExactlyChance() {
        double[][] s = new double[9][9];
        for (double[] row : s) java.util.Arrays.fill(row, 0.3);
        for (AdjacencyScore a : AdjacencyScore.values()) assertEquals(a.chance(9), a.score(s), 1e-12, a.name());
    }

    @Test
    void chanceLevelsByHand() {
        // n = 4, two-sided: positions 1, 2, 3 have 2, 2, 1 neighbours among 3 candidates
        assertEquals((2 / 3.0 + 2 / 3.0 + 1 / 3.0) / 3, AdjacencyScore.ap_nn.chance(4), 1e-12);
        // causal: positions 2, 3 have 2 and 3 past candidates
        assertEquals((1 / 2.0 + 1 / 3.0) / 2, AdjacencyScore.ap_nn_causal.chance(4), 1e-12);
    }

    @Test
    void handComputedSmallMatrix() {
        double[][] s = {
            {1.0, 0.9, 0.2, 0.1},
            {0.9, 1.0, 0.3, 0.8},
            {0.2, 0.3, 1.0, 0.4},
            {0.1, 0.8, 0.4, 1.0}};
        // ap_nn over i = 1..3: i=1 -> j*=0 (hit), i=2 -> j*=3 (hit), i=3 -> j*=1 (miss)
        assertEquals(2 / 3.0, AdjacencyScore.ap_nn.score(s), 1e-12);
        // causal over i = 2..3: i=2 -> past {0.2, 0.3} -> j*=1 (hit); i=3 -> past {0.1, 0.8, 0.4} -> j*=1 (miss)
        assertEquals(0.5, AdjacencyScore.ap_nn_causal.score(s), 1e-12);
        // neighbour: (i, adjacent a, far k) comparisons S_ia > S_ik
        // i=0: a=1 vs k=2,3: 0.9>0.2, 0.9>0.1 -> 2/2; i=1: a=0,2 vs k=3: 0.9>0.8 yes, 0.3>0.8 no -> 1/2
        // i=2: a=1,3 vs k=0: 0.3>0.2 yes, 0.4>0.2 yes -> 2/2; i=3: a=2 vs k=0,1: 0.4>0.1 yes, 0.4>0.8 no -> 1/2
        assertEquals(6 / 8.0, AdjacencyScore.ap_neighbour.score(s), 1e-12);
    }

    @Test
    void randomSymmetricMatrixIsNearChance() {
        int n = 30, trials = 300;
        SplittableRandom r = new SplittableRandom(7);
        double sum = 0;
        for (int t = 0; t < trials; t++) {
            double[][] s = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) s[i][j] = s[j][i] = i == j ? 1 : r.nextDouble();
            sum += AdjacencyScore.ap_nn.score(s);
        }
        // chance ~ 2/(n-1) = 0.069; 300 x 29 Bernoulli draws give a standard error of ~0.003
        assertEquals(AdjacencyScore.ap_nn.chance(n), sum / trials, 0.012);
    }

    @Test
    void sampledOrderAgreesWithExactOnLargeMatrices() {
        int n = AdjacencyScore.EXACT_ORDER_LIMIT + 72;
        assertEquals(1.0, AdjacencyScore.ap_order.score(banded(n)), 1e-12);
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i][j] = 1.0 / (1 + Math.abs(i - j)) + ((i * 31 + j * 17) % 7 == 0 ? 0.5 : 0);
        double sampled = AdjacencyScore.ap_order.score(s);
        double exact = exactOrder(s);
        assertEquals(exact, sampled, 0.01);
    }

    private static double exactOrder(double[][] s) {
        int n = s.length;
        double wins = 0;
        long count = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            if (j == i || k == i || Math.abs(i - j) >= Math.abs(i - k)) continue;
            wins += s[i][j] > s[i][k] ? 1 : s[i][j] == s[i][k] ? 0.5 : 0;
            count++;
        }
        return wins / count;
    }
}
