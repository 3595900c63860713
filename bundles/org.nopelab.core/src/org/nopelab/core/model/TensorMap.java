package org.nopelab.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tensors by name in insertion order; a missing name fails with the names there are. */
public class TensorMap {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final String kind;

    public TensorMap(String kind) {
        this.kind = kind;
    }

    public void put(String name, Tensor t) {
        tensors.put(name, t);
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no " + kind + " '" + name + "'; have " + tensors.keySet());
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public Map<String, Tensor> all() {
        return Collections.unmodifiableMap(tensors);
    }
}
