package org.nopelab.core.model;

/**
 * Named parameters in PyTorch layout (nn.Linear weight = [out, in]) so a safetensors file loads into a
 * plain PyTorch module with the same names. See README "Safetensors layout" for the full list.
 */
public final class ModelWeights extends TensorMap {
    public ModelWeights() {
        super("parameter");
    }

    /** A deep copy: training updates weights in place. */
    public ModelWeights copy() {
        ModelWeights c = new ModelWeights();
        all().forEach((name, t) -> c.put(name, new Tensor(t.shape().clone(), t.data().clone())));
        return c;
    }

    public long parameterCount() {
        return all().values().stream().mapToLong(t -> t.data().length).sum();
    }

    /** Parameter names; one place so engines, init and files agree. */
    public static String block(int i, String rest) {
        return "blocks." + i + "." + rest;
    }
}
