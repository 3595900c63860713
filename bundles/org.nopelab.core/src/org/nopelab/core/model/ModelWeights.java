package org.nopelab.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named parameters in PyTorch layout (nn.Linear weight = [out, in]) so a safetensors file loads into a
 * plain PyTorch module with the same names. See README "Safetensors layout" for the full list.
 */
public final class ModelWeights {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    public void put(String name, Tensor t) {
        tensors.put(name, t);
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("model has no parameter '" + name + "'");
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public Map<String, Tensor> all() {
        return Collections.unmodifiableMap(tensors);
    }

    public long parameterCount() {
        return tensors.values().stream().mapToLong(t -> t.data().length).sum();
    }

    /** Parameter names; one place so engines, init and files agree. */
    public static String block(int i, String rest) {
        return "blocks." + i + "." + rest;
    }
}
