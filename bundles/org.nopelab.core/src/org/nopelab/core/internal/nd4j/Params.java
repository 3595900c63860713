package org.nopelab.core.internal.nd4j;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;

/**
 * Where a pass finds its parameters: ND4J arrays by name, the fused projection "blocks.i.attn.qkv.*" ([W_q; W_k; W_v]
 * rows stacked, biases concatenated) included. A training session holds them in native memory across steps; an
 * analysis pass creates them from the model's weights once per pass.
 */
interface Params {
    INDArray get(String name);

    /** Frees what these parameters hold outside any workspace (nothing for those made in a pass's workspace). */
    default void close() {}

    String[] QKV = {"q", "k", "v"};

    static boolean fused(String name) {
        return name.contains(".attn.qkv.");
    }

    /** The model's parameter name of part k (0 q, 1 k, 2 v) of a fused projection's parameter. */
    static String part(String fused, int k) {
        return fused.replace(".attn.qkv.", ".attn." + QKV[k] + ".");
    }

    /** The fused name a q, k or v parameter is stored under, or null for any other name. */
    static String fusedName(String modelName) {
        for (String p : QKV) if (modelName.contains(".attn." + p + ".")) return modelName.replace(".attn." + p + ".", ".attn.qkv.");
        return null;
    }

    /** Which part (0 q, 1 k, 2 v) of its fused parameter a q, k or v parameter is. */
    static int partOf(String modelName) {
        for (int k = 0; k < 3; k++) if (modelName.contains(".attn." + QKV[k] + ".")) return k;
        throw new IllegalArgumentException(modelName + " is not part of a fused projection");
    }

    /** Created from weights on first use, in the caller's workspace (float32 values, cast for a float64 pass). */
    static Params of(ModelWeights w, DataType dt) {
        Map<String, INDArray> made = new HashMap<>();
        return new Params() {
            @Override
            public INDArray get(String name) {
                INDArray p = made.get(name);
                if (p != null) return p;
                if (fused(name)) {
                    // stacked on the Java side: ND4J's concat took 0.8 ms per block of a paper-size analysis pass
                    // (a quarter of its native time, measured); one native copy instead
                    p = array(Tensor.concat(java.util.List.of(w.get(part(name, 0)), w.get(part(name, 1)), w.get(part(name, 2))), Integer.MAX_VALUE), dt);
                } else {
                    p = array(w.get(name), dt);
                }
                made.put(name, p);
                return p;
            }
        };
    }

    /**
     * Every parameter created now, in the caller's workspace: a pass split between threads reads them from each
     * (a lazy map would create them from several threads, in whichever workspace each has open).
     */
    static Params loaded(ModelWeights w, DataType dt) {
        Params lazy = of(w, dt);
        Map<String, INDArray> all = new HashMap<>();
        for (String name : w.all().keySet()) {
            String stored = fusedName(name) != null ? fusedName(name) : name;
            all.computeIfAbsent(stored, lazy::get);
        }
        return new Params() {
            private boolean closed;

            @Override
            public INDArray get(String name) {
                if (closed) throw new IllegalStateException("these parameters were closed");
                INDArray p = all.get(name);
                if (p == null) throw new IllegalArgumentException("no parameter '" + name + "'; have " + all.keySet());
                return p;
            }

            @Override
            public void close() {
                closed = true;
                for (INDArray p : all.values()) if (p.closeable()) p.close();
            }
        };
    }

    /** A tensor as an ND4J array of type dt: float64 values where the tensor has them, else its float32 ones. */
    static INDArray array(Tensor t, DataType dt) {
        if (dt == DataType.DOUBLE && t.precise() != null) return Writes.doubles(t.precise(), t.shape());
        INDArray p = Writes.floats(t.data(), t.shape());
        return dt == DataType.FLOAT ? p : p.castTo(dt);
    }
}
