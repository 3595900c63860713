package org.nopelab.core.internal.nd4j;

import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nopelab.core.engine.Adam;
import org.nopelab.core.engine.Batch;
import org.nopelab.core.engine.Training;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;
import org.nopelab.nd4j.Nd4jContext;

/**
 * A model being trained by the ND4J engine. Parameters and Adam moments live in native memory, outside any
 * workspace, for the whole session, with each block's q, k, v stored fused (the layout the pass multiplies by). A
 * step runs one pass in the workspace and updates every parameter in place through Java views of the native
 * buffers ({@link Adam} on {@link Adam.Values}): no per-step copy of weights or gradients between Java and native code.
 */
final class Nd4jTraining implements Training {
    private final ModelConfig c;
    private final DataType dt;
    private final boolean kernels;
    private final Adam adam;
    private final Map<String, INDArray> store = new LinkedHashMap<>(), m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    private final Map<String, long[]> shapes;
    private final Params params = store::get;

    Nd4jTraining(ModelConfig c, ModelWeights start, DataType dt, boolean kernels, Adam.Settings settings, Map<String, Tensor> state, int stepsDone) {
        this.c = c;
        this.dt = dt;
        this.kernels = kernels;
        this.adam = new Adam(settings, stepsDone);
        this.shapes = WeightInit.shapes(c);
        Nd4jContext.run(() -> {
            try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (String name : storageNames()) {
                    store.put(name, fuse(name, start.all()));
                    m.put(name, state.isEmpty() ? Nd4j.zeros(dt, store.get(name).shape()) : fuse(name, moments(state, "adam.m.")));
                    v.put(name, state.isEmpty() ? Nd4j.zeros(dt, store.get(name).shape()) : fuse(name, moments(state, "adam.v.")));
                }
            }
        });
    }

    /** The model's parameter names with each block's q, k, v replaced by its fused projection. */
    private java.util.Set<String> storageNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String name : shapes.keySet()) names.add(Params.fusedName(name) != null ? Params.fusedName(name) : name);
        return names;
    }

    private static Map<String, Tensor> moments(Map<String, Tensor> state, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, t) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), t);
        });
        return out;
    }

    /** A stored array from the model's tensors: a fused name concatenates its q, k, v parts. */
    private INDArray fuse(String name, Map<String, Tensor> tensors) {
        if (!Params.fused(name)) return Params.array(need(tensors, name), dt).dup('c');
        INDArray[] parts = new INDArray[3];
        for (int k = 0; k < 3; k++) parts[k] = Params.array(need(tensors, Params.part(name, k)), dt);
        return Nd4j.concat(0, parts).dup('c');
    }

    private static Tensor need(Map<String, Tensor> tensors, String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no tensor '" + name + "' to start training from");
        return t;
    }

    @Override
    public Step step(Batch batch, double lr) {
        return Nd4jContext.call(() -> {
            try (MemoryWorkspace ws = Nd4jEngine.activate()) {
                double[] loss = new double[1];
                int[][][] predictions = new int[1][][];
                Map<String, INDArray> grads = Nd4jEngine.step(c, params, batch, dt, kernels, loss, predictions);
                Map<String, INDArray> whole = new LinkedHashMap<>();
                Map<String, Adam.Values> g = new LinkedHashMap<>();
                for (String name : store.keySet()) {
                    whole.put(name, Reads.whole(grads.get(name)));
                    g.put(name, values(whole.get(name)));
                }
                double norm = Adam.norm(g.values());
                if (!Double.isFinite(loss[0]) || !Double.isFinite(norm)) return new Step(loss[0], norm, predictions[0], false);
                double scale = adam.clipScale(norm);
                adam.next();
                int threads = Nd4jEngine.threads();
                for (String name : store.keySet()) {
                    INDArray p = store.get(name);
                    if (kernels) FusedKernels.adam(adam, p, m.get(name), v.get(name), whole.get(name), lr, scale, threads);
                    else adam.update(values(p), values(m.get(name)), values(v.get(name)), g.get(name), lr, scale);
                }
                return new Step(loss[0], norm, predictions[0], true);
            }
        });
    }

    @Override
    public int[][] predict(int[][] tokens) {
        return Nd4jContext.call(() -> {
            try (MemoryWorkspace ws = Nd4jEngine.activate()) {
                return Nd4jEngine.predict(c, params, tokens, dt, kernels);
            }
        });
    }

    @Override
    public ModelWeights weights() {
        ModelWeights w = new ModelWeights();
        unfuse(store, "").forEach(w::put);
        return w;
    }

    @Override
    public Map<String, Tensor> optimizerState() {
        Map<String, Tensor> out = new LinkedHashMap<>(unfuse(m, "adam.m."));
        out.putAll(unfuse(v, "adam.v."));
        return out;
    }

    @Override
    public int steps() {
        return adam.step();
    }

    @Override
    public void close() {
        Nd4jContext.run(() -> {
            for (Map<String, INDArray> arrays : List.of(store, m, v)) {
                arrays.values().forEach(INDArray::close);
                arrays.clear();
            }
        });
    }

    /** Copies under the model's names, in its order: a fused array's rows split into q, k, v. */
    private Map<String, Tensor> unfuse(Map<String, INDArray> arrays, String prefix) {
        return Nd4jContext.call(() -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            Map<String, double[]> read = new java.util.HashMap<>(); // a fused array is read once for its q, k and v
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey(), fused = Params.fusedName(name);
                int part = fused == null ? 0 : Params.partOf(name);
                String stored = fused == null ? name : fused;
                long size = 1;
                for (long s : e.getValue()) size *= s;
                double[] all = read.computeIfAbsent(stored, k -> Reads.doubles(arrays.get(k)));
                double[] mine = java.util.Arrays.copyOfRange(all, (int) (part * size), (int) ((part + 1) * size));
                out.put(prefix + name, dt == DataType.DOUBLE ? Tensor.ofDoubles(e.getValue(), mine) : floats(e.getValue(), mine));
            }
            return out;
        });
    }

    private static Tensor floats(long[] shape, double[] values) {
        float[] f = new float[values.length];
        for (int k = 0; k < f.length; k++) f[k] = (float) values[k];
        return new Tensor(shape, f);
    }


    /** A Java view of a contiguous array's native values (reads and writes go to native memory). */
    static Adam.Values values(INDArray a) {
        if (!Reads.isWhole(a)) throw new IllegalArgumentException("not a whole contiguous array");
        var bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        int n = (int) a.length();
        return a.dataType() == DataType.DOUBLE ? Adam.Values.of(bytes.asDoubleBuffer().limit(n).slice())
                : Adam.Values.of(bytes.asFloatBuffer().limit(n).slice());
    }
}
