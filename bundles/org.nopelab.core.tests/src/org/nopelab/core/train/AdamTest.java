package org.nopelab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

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
        ModelWeights w = new ModelWeights();
        w.put("p", new Tensor(new long[] {3}, new float[] {1.0f, -0.5f, 0.25f}));
        Adam adam = new Adam(config(optimizer, 0.1));
        for (double[] g : new double[][] {{0.5, -0.2, 0.0}, {0.1, 0.3, -0.4}, {-0.3, 0.0, 0.2}}) {
            Map<String, double[]> grads = new LinkedHashMap<>();
            grads.put("p", g.clone());
            adam.update(w, grads, 0.1);
        }
        for (int i = 0; i < 3; i++) assertEquals(expected[i], w.get("p").data()[i], 1e-6, optimizer + " p[" + i + "]");
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        Map<String, double[]> g = new LinkedHashMap<>();
        g.put("a", new double[] {3, 0});
        g.put("b", new double[] {4});
        assertEquals(5, Adam.clip(g, 1), 1e-12);
        double f = 1 / (5 + 1e-6);
        assertEquals(3 * f, g.get("a")[0], 1e-12);
        assertEquals(4 * f, g.get("b")[0], 1e-12);
        assertEquals(1, Adam.clip(g, 0), 1e-5, "0 disables clipping, still reports the norm");
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
