package org.nopelab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nopelab.core.engine.Adam;

class AdamTest {
    static TrainConfig config(String optimizer, double weightDecay) {
        return new TrainConfig(100, 8, 0.1, 0.9, 0.99, 1e-8, weightDecay, optimizer, 10, "cosine", 0.01, 1.0, 10, 16, 50);
    }

    /** Expected values printed by torch 1.13 (torch.optim.Adam / AdamW, lr 0.1, betas (0.9, 0.99), wd 0.1). */
    @Test
    void threeStepsMatchPyTorch() {
        assertSteps("adam", new float[] {0.7712891101837158f, -0.40559425950050354f, 0.23471584916114807f});
        assertSteps("adamw", new float[] {0.7715064287185669f, -0.4308149516582489f, 0.3389219343662262f});
    }

    private static void assertSteps(String optimizer, float[] expected) {
        float[] p = {1.0f, -0.5f, 0.25f}, m = new float[3], v = new float[3];
        Adam adam = new Adam(config(optimizer, 0.1).adam(), 0);
        for (double[] g : new double[][] {{0.5, -0.2, 0.0}, {0.1, 0.3, -0.4}, {-0.3, 0.0, 0.2}}) {
            adam.next();
            adam.update(Adam.Values.of(p), Adam.Values.of(m), Adam.Values.of(v), Adam.Values.of(g), 0.1, 1);
        }
        for (int i = 0; i < 3; i++) assertEquals(expected[i], p[i], 1e-6, optimizer + " p[" + i + "]");
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        java.util.List<Adam.Values> g = java.util.List.of(Adam.Values.of(new double[] {3, 0}), Adam.Values.of(new double[] {4}));
        double norm = Adam.norm(g);
        assertEquals(5, norm, 1e-12);
        assertEquals(1 / (5 + 1e-6), new Adam(config("adam", 0).adam(), 0).clipScale(norm), 1e-15, "clip_norm 1: maxNorm / (norm + 1e-6)");
        TrainConfig off = new TrainConfig(100, 8, 0.1, 0.9, 0.99, 1e-8, 0, "adam", 10, "cosine", 0.01, 0, 10, 16, 50);
        assertEquals(1, new Adam(off.adam(), 0).clipScale(norm), 0, "0 disables clipping");
        assertEquals(1, new Adam(config("adam", 0).adam(), 0).clipScale(0.5), 0, "within the limit: unchanged");
    }

    @Test
    void warmUpThenCosine() {
        TrainConfig c = config("adamw", 0);
        assertEquals(0.01, c.lrAt(0), 1e-12);      // (0 + 1) / 10 of lr
        assertEquals(0.1, c.lrAt(9), 1e-12);       // end of warm-up
        assertEquals(0.1, c.lrAt(10), 1e-12);      // cosine starts at lr
        assertEquals(0.055, c.lrAt(55), 1e-12);    // half way: (lr + min_lr) / 2
        assertEquals(0.01, c.lrAt(100), 1e-12);    // min_lr at the end
    }
}
