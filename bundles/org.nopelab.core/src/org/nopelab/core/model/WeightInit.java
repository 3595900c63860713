package org.nopelab.core.model;

import java.util.SplittableRandom;

/**
 * Seeded initialisation. Each tensor draws from its own stream derived from (seed, name), so adding a
 * parameter never shifts the values of the others and a given seed always yields the same model.
 */
public final class WeightInit {
    private WeightInit() {}

    public static ModelWeights initialise(ModelConfig c, long seed) {
        ModelWeights w = new ModelWeights();
        int d = c.dModel(), v = c.vocabSize();
        w.put("embed.weight", embedding(c, seed, "embed.weight", v, d));
        if (c.pe() == PositionalEncoding.learned) {
            w.put("pos_embed.weight", embedding(c, seed, "pos_embed.weight", c.maxLen(), d));
        }
        for (int i = 0; i < c.layers(); i++) {
            if (c.layerNorm() != LayerNormPlacement.none) {
                layerNorm(w, d, ModelWeights.block(i, "ln1"));
                layerNorm(w, d, ModelWeights.block(i, "ln2"));
            }
            for (String p : new String[] {"q", "k", "v", "o"}) {
                linear(w, c, seed, ModelWeights.block(i, "attn." + p), d, d);
            }
            linear(w, c, seed, ModelWeights.block(i, "mlp.fc1"), d, c.dFf());
            linear(w, c, seed, ModelWeights.block(i, "mlp.fc2"), c.dFf(), d);
        }
        if (c.layerNorm() == LayerNormPlacement.pre) layerNorm(w, d, "final_ln");
        linear(w, c, seed, "unembed", d, v);
        return w;
    }

    private static void layerNorm(ModelWeights w, int d, String name) {
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        w.put(name + ".weight", new Tensor(new long[] {d}, ones));
        w.put(name + ".bias", Tensor.zeros(d));
    }

    private static Tensor embedding(ModelConfig c, long seed, String name, int rows, int d) {
        SplittableRandom r = stream(seed, name);
        double std = c.init().scheme() == InitScheme.normal ? c.init().std() : 1.0;
        float[] a = new float[rows * d];
        for (int k = 0; k < a.length; k++) a[k] = (float) (r.nextGaussian() * std * c.init().scale());
        return new Tensor(new long[] {rows, d}, a);
    }

    private static void linear(ModelWeights w, ModelConfig c, long seed, String name, int in, int out) {
        SplittableRandom r = stream(seed, name + ".weight");
        double scale = c.init().scale();
        float[] a = new float[in * out];
        float[] b = new float[out];
        switch (c.init().scheme()) {
            case normal -> fillNormal(r, a, c.init().std() * scale);
            case kaiming -> fillNormal(r, a, Math.sqrt(2.0 / in) * scale);
            case xavier -> fillUniform(r, a, Math.sqrt(6.0 / (in + out)) * scale);
            case pytorch -> {
                double bound = 1 / Math.sqrt(in);
                fillUniform(r, a, bound * scale);
                fillUniform(stream(seed, name + ".bias"), b, bound * scale);
            }
        }
        w.put(name + ".weight", new Tensor(new long[] {out, in}, a));
        w.put(name + ".bias", new Tensor(new long[] {out}, b));
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
