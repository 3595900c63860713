package org.nopelab.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded initialisation. Each tensor draws from its own stream derived from (seed, tensor name), so adding a
 * parameter never shifts the values of the others and a given seed always yields the same model. The model's
 * layout (every parameter's name and shape) is written once, in {@link #walk}, and serves both initialisation
 * and the check of a model file against its architecture ({@link #shapes}).
 */
public final class WeightInit {
    private WeightInit() {}

    public static ModelWeights initialise(ModelConfig c, long seed) {
        ModelWeights w = new ModelWeights();
        walk(c, (name, shape, fill) -> {
            long n = 1;
            for (long s : shape) n *= s;
            float[] a = new float[Math.toIntExact(n)];
            fill.fill(stream(seed, name), a);
            w.put(name, new Tensor(shape, a));
        });
        return w;
    }

    /** Every parameter's name and shape, in the order the model holds them. */
    public static Map<String, long[]> shapes(ModelConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        walk(c, (name, shape, fill) -> out.put(name, shape));
        return out;
    }

    private interface Filler {
        void fill(SplittableRandom r, float[] a);
    }

    private interface Visitor {
        void parameter(String name, long[] shape, Filler fill);
    }

    private static void walk(ModelConfig c, Visitor v) {
        int d = c.dModel();
        double std = c.init().scheme() == InitScheme.normal ? c.init().std() : 1.0, scale = c.init().scale();
        Filler embedding = (r, a) -> {
            for (int k = 0; k < a.length; k++) a[k] = (float) (r.nextGaussian() * std * scale); // this order: the same floats as ever
        };
        v.parameter("embed.weight", new long[] {c.vocabSize(), d}, embedding);
        if (c.pe() == PositionalEncoding.learned) v.parameter("pos_embed.weight", new long[] {c.maxLen(), d}, embedding);
        for (int i = 0; i < c.layers(); i++) {
            if (c.layerNorm() != LayerNormPlacement.none) {
                layerNorm(v, d, ModelWeights.block(i, "ln1"));
                layerNorm(v, d, ModelWeights.block(i, "ln2"));
            }
            for (String p : new String[] {"q", "k", "v", "o"}) linear(v, c, ModelWeights.block(i, "attn." + p), d, d);
            linear(v, c, ModelWeights.block(i, "mlp.fc1"), d, c.dFf());
            linear(v, c, ModelWeights.block(i, "mlp.fc2"), c.dFf(), d);
        }
        if (c.layerNorm() == LayerNormPlacement.pre) layerNorm(v, d, "final_ln");
        linear(v, c, "unembed", d, c.vocabSize());
    }

    private static void layerNorm(Visitor v, int d, String name) {
        v.parameter(name + ".weight", new long[] {d}, (r, a) -> java.util.Arrays.fill(a, 1f));
        v.parameter(name + ".bias", new long[] {d}, (r, a) -> {});
    }

    private static void linear(Visitor v, ModelConfig c, String name, int in, int out) {
        double scale = c.init().scale();
        v.parameter(name + ".weight", new long[] {out, in}, (r, a) -> {
            switch (c.init().scheme()) {
                case normal -> fillNormal(r, a, c.init().std() * scale);
                case kaiming -> fillNormal(r, a, Math.sqrt(2.0 / in) * scale);
                case xavier -> fillUniform(r, a, Math.sqrt(6.0 / (in + out)) * scale);
                case pytorch -> fillUniform(r, a, 1 / Math.sqrt(in) * scale);
            }
        });
        // biases are 0 but under the pytorch scheme, which draws them as nn.Linear does
        v.parameter(name + ".bias", new long[] {out}, (r, a) -> {
            if (c.init().scheme() == InitScheme.pytorch) fillUniform(r, a, 1 / Math.sqrt(in) * scale);
        });
    }

    private static void fillNormal(SplittableRandom r, float[] a, double std) {
        for (int k = 0; k < a.length; k++) a[k] = (float) (r.nextGaussian() * std);
    }

    private static void fillUniform(SplittableRandom r, float[] a, double bound) {
        for (int k = 0; k < a.length; k++) a[k] = (float) ((2 * r.nextDouble() - 1) * bound);
    }

    private static SplittableRandom stream(long seed, String name) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
    }
}
