package org.nopelab.core.engine.reference;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nopelab.core.engine.Adam;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.LossAndGradients;
import org.nopelab.core.engine.Training;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/** Training with the reference engine: float64 weights and moments, finite-difference gradients, the shared Adam. */
final class ReferenceTraining implements Training {
    private final ReferenceEngine engine;
    private final ModelConfig c;
    private final ModelWeights w;
    private final Adam adam;
    private final Map<String, double[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();

    ReferenceTraining(ReferenceEngine engine, ModelConfig c, ModelWeights w, Adam.Settings settings, Map<String, Tensor> state, int stepsDone) {
        this.engine = engine;
        this.c = c;
        this.w = w;
        this.adam = new Adam(settings, stepsDone);
        w.all().forEach((name, t) -> {
            m.put(name, moment(state.get("adam.m." + name), t));
            v.put(name, moment(state.get("adam.v." + name), t));
        });
    }

    private static double[] moment(Tensor saved, Tensor like) {
        double[] out = new double[like.data().length];
        if (saved != null) for (int k = 0; k < out.length; k++) out[k] = saved.at(k);
        return out;
    }

    @Override
    public Step step(Batch batch, double lr) {
        LossAndGradients lg = engine.lossAndGradients(c, w, batch);
        Map<String, Adam.Values> g = new LinkedHashMap<>();
        lg.gradients().forEach((name, values) -> g.put(name, Adam.Values.of(values)));
        double norm = Adam.norm(g.values());
        if (!Double.isFinite(lg.loss()) || !Double.isFinite(norm)) return new Step(lg.loss(), norm, lg.predictions(), false);
        double scale = adam.clipScale(norm);
        adam.next();
        for (Map.Entry<String, Tensor> e : w.all().entrySet()) {
            String name = e.getKey();
            adam.update(Adam.Values.of(e.getValue().precise()), Adam.Values.of(m.get(name)), Adam.Values.of(v.get(name)), g.get(name), lr, scale);
        }
        return new Step(lg.loss(), norm, lg.predictions(), true);
    }

    @Override
    public int[][] predict(int[][] tokens) {
        return engine.predict(c, w, tokens);
    }

    @Override
    public ModelWeights weights() {
        ModelWeights out = new ModelWeights();
        w.all().forEach((name, t) -> out.put(name, Tensor.ofDoubles(t.shape(), t.precise().clone())));
        return out;
    }

    @Override
    public Map<String, Tensor> optimizerState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        w.all().forEach((name, t) -> out.put("adam.m." + name, Tensor.ofDoubles(t.shape(), m.get(name).clone())));
        w.all().forEach((name, t) -> out.put("adam.v." + name, Tensor.ofDoubles(t.shape(), v.get(name).clone())));
        return out;
    }

    @Override
    public int steps() {
        return adam.step();
    }

    @Override
    public void close() {}
}
