package org.nopelab.core.internal.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nopelab.core.engine.HiddenStates;
import org.nopelab.core.engine.Sinusoid;
import org.nopelab.core.engine.TransformerEngine;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.Tensor;
import org.nopelab.nd4j.Nd4jContext;

/**
 * Forward pass with ND4J INDArray ops in float32 inside a {@link MemoryWorkspace}: every intermediate is
 * allocated in the workspace and released at once when the pass ends (without it memory grows to GBs).
 * Captured states are copied out to Java arrays before the workspace closes.
 */
public final class Nd4jEngine implements TransformerEngine {
    private static final double LN_EPS = 1e-5;
    private static final float MASKED = -1e9f; // exp underflows to exactly 0 after the max shift
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public HiddenStates forward(ModelConfig c, ModelWeights w, int[][] tokens) {
        return Nd4jContext.call(() -> {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, "nopelab-forward")) {
                return new Pass(c, w, tokens).run();
            }
        });
    }

    /** One forward pass; fields hold the batch geometry so helpers stay short. */
    private static final class Pass {
        final ModelConfig c;
        final ModelWeights w;
        final int[][] tokens;
        final int b, n, d;
        final HiddenStates states = new HiddenStates();

        Pass(ModelConfig c, ModelWeights w, int[][] tokens) {
            this.c = c;
            this.w = w;
            this.tokens = tokens;
            this.b = tokens.length;
            this.n = tokens[0].length;
            this.d = c.dModel();
        }

        HiddenStates run() {
            INDArray x = embed(); // [b*n, d]
            capture(HiddenStates.layer(0), x);
            boolean pre = c.layerNorm() == LayerNormPlacement.pre, post = c.layerNorm() == LayerNormPlacement.post;
            INDArray mask = c.attention() == AttentionMask.causal ? causalMask() : null;
            for (int i = 0; i < c.layers(); i++) {
                int l = i + 1;
                INDArray attnIn = pre ? layerNorm(x, ModelWeights.block(i, "ln1")) : x;
                if (pre) capture(HiddenStates.sub(l, "ln1"), attnIn);
                INDArray attn = attention(i, attnIn, mask);
                capture(HiddenStates.sub(l, "attn"), attn);
                x = c.residual() ? x.add(attn) : attn;
                if (post) x = layerNorm(x, ModelWeights.block(i, "ln1"));
                capture(HiddenStates.sub(l, "mid"), x);
                INDArray mlpIn = pre ? layerNorm(x, ModelWeights.block(i, "ln2")) : x;
                if (pre) capture(HiddenStates.sub(l, "ln2"), mlpIn);
                INDArray mlp = linear(activation(linear(mlpIn, ModelWeights.block(i, "mlp.fc1"))), ModelWeights.block(i, "mlp.fc2"));
                capture(HiddenStates.sub(l, "mlp"), mlp);
                x = c.residual() ? x.add(mlp) : mlp;
                if (post) x = layerNorm(x, ModelWeights.block(i, "ln2"));
                capture(HiddenStates.layer(l), x);
            }
            if (pre) {
                x = layerNorm(x, "final_ln");
                capture("final_ln", x);
            }
            capture("logits", linear(x, "unembed"));
            return states;
        }

        INDArray embed() {
            int[] flat = new int[b * n];
            for (int s = 0; s < b; s++) System.arraycopy(tokens[s], 0, flat, s * n, n);
            INDArray x = param("embed.weight").getRows(flat); // [b*n, d]
            INDArray pe = switch (c.pe()) {
                case none -> null;
                case learned -> param("pos_embed.weight").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                case sinusoidal -> Nd4j.create(Sinusoid.table(n, d), new long[] {n, d}, DataType.FLOAT);
            };
            if (pe != null) {
                x = x.reshape(b, n * d).addiRowVector(pe.dup('c').reshape(1, n * d)).reshape(b * n, d);
            }
            return x;
        }

        INDArray attention(int i, INDArray x, INDArray mask) {
            int h = c.heads(), hd = c.headDim();
            INDArray q = heads(linear(x, ModelWeights.block(i, "attn.q")), h, hd);
            INDArray k = heads(linear(x, ModelWeights.block(i, "attn.k")), h, hd);
            INDArray v = heads(linear(x, ModelWeights.block(i, "attn.v")), h, hd);
            INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(1 / Math.sqrt(hd)); // [b,h,n,n]
            if (mask != null) {
                scores = scores.reshape(b * h, n * n).addiRowVector(mask).reshape(b, h, n, n);
            }
            INDArray p = Nd4j.exec(new SoftMax(scores, scores.ulike(), 3))[0];
            INDArray o = Nd4j.matmul(p, v).permute(0, 2, 1, 3).dup('c').reshape(b * n, d); // concat heads
            return linear(o, ModelWeights.block(i, "attn.o"));
        }

        /** [b*n, d] -> [b, heads, n, head_dim] */
        INDArray heads(INDArray x, int h, int hd) {
            return x.reshape(b, n, h, hd).permute(0, 2, 1, 3).dup('c');
        }

        INDArray causalMask() {
            float[] m = new float[n * n];
            for (int t = 0; t < n; t++) for (int u = t + 1; u < n; u++) m[t * n + u] = MASKED;
            return Nd4j.create(m, new long[] {1, n * n}, DataType.FLOAT);
        }

        INDArray linear(INDArray x, String name) {
            return x.mmul(param(name + ".weight").transpose()).addiRowVector(param(name + ".bias"));
        }

        INDArray layerNorm(INDArray x, String name) {
            INDArray mean = x.mean(1);
            INDArray centred = x.subColumnVector(mean);
            INDArray var = centred.mul(centred).mean(1);
            INDArray inv = Transforms.pow(var.addi(LN_EPS), -0.5, false);
            return centred.muliColumnVector(inv).muliRowVector(param(name + ".weight")).addiRowVector(param(name + ".bias"));
        }

        INDArray activation(INDArray x) {
            return switch (c.activation()) {
                case relu -> Transforms.relu(x, true);
                case gelu -> {
                    INDArray erf = Nd4j.exec(new Erf(x.div(Math.sqrt(2))));
                    yield x.mul(0.5).muli(erf.addi(1));
                }
                case gelu_tanh -> {
                    INDArray inner = x.mul(x).muli(0.044715).addi(1).muli(x).muli(Math.sqrt(2 / Math.PI));
                    yield x.mul(0.5).muli(Transforms.tanh(inner, false).addi(1));
                }
                case silu -> x.mul(Transforms.sigmoid(x, true));
            };
        }

        INDArray param(String name) {
            Tensor t = w.get(name);
            return Nd4j.create(t.data(), t.shape(), DataType.FLOAT);
        }

        void capture(String name, INDArray x2d) {
            long width = x2d.size(1);
            float[] data = x2d.dup('c').data().asFloat();
            states.put(name, new Tensor(new long[] {b, n, width}, java.util.Arrays.copyOf(data, (int) (b * n * width))));
        }
    }
}
