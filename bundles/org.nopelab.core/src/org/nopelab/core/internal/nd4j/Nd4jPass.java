package org.nopelab.core.internal.nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nopelab.core.engine.Capture;
import org.nopelab.core.engine.HiddenStates;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.Alibi;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.BlockScheme;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.Rope;
import org.nopelab.core.model.Sinusoid;
import org.nopelab.core.model.Tensor;

/**
 * One pass over a batch: a forward pass, optionally followed by one hand-written backward pass, and nothing else.
 * A pass is used once (a second forward would overwrite what the backward needs, so it is refused). Activations are
 * [batch * positions, width] matrices; attention works on [batch, heads, positions, head_dim]. Each block's
 * scheme comes from {@link ModelConfig#block}: a RoPE rotation of q and k, an additive bias on the scores (mask,
 * window, ALiBi) or neither. Everything is allocated in the caller's workspace. Must run inside {@code Nd4jContext}.
 */
final class Nd4jPass {
    static final double LN_EPS = 1e-5;
    private static final double MASKED = -1e9; // exp underflows to exactly 0 after the max shift
    /**
     * The fused kernels use the engine's threads when an activation ([batch * positions, d_model]) has at least this
     * many values, one thread below (where handing work to a second thread costs more than it saves). Measured at 2
     * threads, quiet machine, kernels on both threads vs on one: paper-d256 training step 737 vs 934 ms, paper-d64 132
     * vs 138 ms and its analysis pass 54 vs 67 ms. -Dnopelab.kernels.parallelFrom=N moves the bound.
     */
    static final long PARALLEL_VALUES = Long.getLong("nopelab.kernels.parallelFrom", 16_384);

    private final ModelConfig c;
    private final Params params;
    private final DataType dt;
    private final int[][] tokens;
    private final int b, n, d, heads, hd;
    private final boolean pre, post;
    /** Fused float32 kernels (org.nopelab.kernels) instead of ND4J's small ops; ND4J's matmul either way. */
    private final boolean kernels;
    /** A backward pass follows: attention keeps its probabilities for it. */
    private final boolean training;
    private final int threads;
    private final List<BlockCache> blocks = new ArrayList<>();
    private final Map<String, INDArray> biases = new HashMap<>(), ropeTables = new HashMap<>();
    private Capture capture;
    private INDArray finalIn, output;
    private Ln finalLn;
    private boolean forwardDone, backwardDone;

    Nd4jPass(ModelConfig c, Params params, int[][] tokens, DataType dt, boolean kernels, boolean training) {
        this(c, params, tokens, dt, kernels, training, (long) tokens.length * tokens[0].length * c.dModel() >= PARALLEL_VALUES ? Nd4jEngine.threads() : 1);
    }

    /** With the fused kernels on the given threads (a part of a batch split between threads runs its kernels on one). */
    Nd4jPass(ModelConfig c, Params params, int[][] tokens, DataType dt, boolean kernels, boolean training, int threads) {
        this.c = c;
        this.kernels = kernels && dt == DataType.FLOAT;
        this.training = training;
        this.params = params;
        this.dt = dt;
        this.tokens = tokens;
        this.b = tokens.length;
        this.n = tokens[0].length;
        this.d = c.dModel();
        this.threads = threads;
        this.heads = c.heads();
        this.hd = c.headDim();
        this.pre = c.layerNorm() == LayerNormPlacement.pre;
        this.post = c.layerNorm() == LayerNormPlacement.post;
    }

    /** The threads this pass's kernels run on. */
    int threads() {
        return threads;
    }

    /** LayerNorm output with what its backward needs. */
    private record Ln(INDArray y, INDArray xhat, INDArray inv, String name) {}

    /** What one block's backward needs. */
    private static final class BlockCache {
        BlockScheme scheme;
        Ln ln1, ln2;
        INDArray attnIn, q, k, v, p, o2d, mlpIn, h1, a1, cdf;
        /** With the fused attention kernel: the projection's output [b*n, 3d] and the kernel's shape (else null). */
        INDArray qkv;
        Object fusedShape;
    }

    /** Forward pass copying out what capture asks for; betweenBlocks runs before each block (a cancel check may throw). */
    INDArray forward(Capture capture, Runnable betweenBlocks) {
        if (forwardDone) throw new IllegalStateException("a pass runs forward once; start a new pass");
        forwardDone = true;
        this.capture = capture;
        INDArray x = embed();
        keep(HiddenStates.layer(0), x);
        for (int i = 0; i < c.layers(); i++) {
            betweenBlocks.run();
            // without a backward nothing of a block outlives it but its output: its intermediates go in a workspace of
            // their own, which the next block reuses (all blocks' at once were most of a long analysis's peak RSS)
            try (MemoryWorkspace blockScope = training ? null : Nd4jEngine.activateBlock()) {
                int l = i + 1;
                BlockCache bc = new BlockCache();
                bc.scheme = c.block(i);
                if (training) blocks.add(bc); // without a backward its arrays die with the block's workspace
                if (pre) {
                    bc.ln1 = layerNorm(x, ModelWeights.block(i, "ln1"));
                    keep(HiddenStates.sub(l, "ln1"), bc.ln1.y);
                }
                bc.attnIn = pre ? bc.ln1.y : x;
                INDArray attn = attention(i, bc);
                keep(HiddenStates.sub(l, "attn"), attn);
                x = c.residual() ? attn.addi(x) : attn; // attn is fresh and already kept: add in place, no copy
                if (post) {
                    bc.ln1 = layerNorm(x, ModelWeights.block(i, "ln1"));
                    x = bc.ln1.y;
                }
                keep(HiddenStates.sub(l, "mid"), x);
                if (pre) {
                    bc.ln2 = layerNorm(x, ModelWeights.block(i, "ln2"));
                    keep(HiddenStates.sub(l, "ln2"), bc.ln2.y);
                }
                bc.mlpIn = pre ? bc.ln2.y : x;
                mlpHidden(bc, ModelWeights.block(i, "mlp.fc1"));
                INDArray mlp = linear(bc.a1, ModelWeights.block(i, "mlp.fc2"));
                keep(HiddenStates.sub(l, "mlp"), mlp);
                x = c.residual() ? mlp.addi(x) : mlp;
                if (post) {
                    bc.ln2 = layerNorm(x, ModelWeights.block(i, "ln2"));
                    x = bc.ln2.y;
                }
                keep(HiddenStates.layer(l), x);
                if (blockScope != null) x = x.leverageTo(Nd4jEngine.PASS);
            }
        }
        if (pre) {
            finalLn = layerNorm(x, "final_ln");
            x = finalLn.y;
            keep("final_ln", x);
        }
        finalIn = x;
        output = linear(x, "unembed");
        keep("logits", output);
        return output;
    }

    /**
     * Mean cross-entropy over positions with weight > 0, then the backward pass through every layer.
     * Gradients are returned in the parameters' own layouts.
     */
    Map<String, INDArray> backward(int[][] targets, float[][] weights, double[] lossOut) {
        return backward(targets, weights, lossOut, totalWeight(weights));
    }

    /** The sum of a batch's loss weights: the loss is the weighted mean over the batch's positions. */
    static double totalWeight(float[][] weights) {
        double total = 0;
        for (float[] row : weights) for (float w : row) total += w;
        if (total <= 0) throw new IllegalArgumentException("batch has no position with a positive loss weight");
        return total;
    }

    /**
     * The backward with the loss's weights divided by total: the whole batch's weight when this pass is one part of
     * a batch (its loss and gradients are then that part's share of the batch's).
     */
    Map<String, INDArray> backward(int[][] targets, float[][] weights, double[] lossOut, double total) {
        if (!forwardDone || backwardDone) throw new IllegalStateException("a pass runs backward once, after its forward");
        backwardDone = true;
        int rows = b * n, vocab = c.vocabSize();
        float[] oneHot = new float[rows * vocab];
        float[] wts = new float[rows];
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < n; t++) {
                oneHot[(s * n + t) * vocab + targets[s][t]] = 1;
                wts[s * n + t] = weights[s][t];
            }
        }
        INDArray target = Writes.floats(oneHot, rows, vocab).castTo(dt);
        INDArray weight = Writes.floats(wts, rows).castTo(dt).divi(total);
        // log-softmax with the row max shifted out: finite for any logits
        INDArray shifted = output.subColumnVector(output.max(1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(1), false);
        INDArray logPicked = shifted.mul(target).sum(1).subi(logSumExp);
        lossOut[0] = -logPicked.mul(weight).sumNumber().doubleValue();
        INDArray prob = Transforms.exp(shifted.subColumnVector(logSumExp), false);

        Map<String, INDArray> g = new LinkedHashMap<>();
        INDArray dLogits = prob.subi(target).muliColumnVector(weight);
        INDArray dx = linearBackward(finalIn, dLogits, "unembed", g);
        if (pre) dx = layerNormBackward(finalLn, dx, g);
        for (int i = c.layers() - 1; i >= 0; i--) {
            // a block's backward temporaries in a workspace the next block reuses; what outlives it (the gradient
            // flowing on, the parameters' gradients) is leveraged to the pass's (it held every block's temporaries
            // until the step ended: a quarter of a paper-size step's peak RSS, measured)
            try (MemoryWorkspace blockScope = Nd4jEngine.activateBlock()) {
                BlockCache bc = blocks.get(i);
                if (post) dx = layerNormBackward(bc.ln2, dx, g);
                INDArray dMlp = dx;
                INDArray dh1 = activationBackward(bc, linearBackward(bc.a1, dMlp, ModelWeights.block(i, "mlp.fc2"), g));
                INDArray dMlpIn = linearBackward(bc.mlpIn, dh1, ModelWeights.block(i, "mlp.fc1"), g);
                if (pre) dMlpIn = layerNormBackward(bc.ln2, dMlpIn, g);
                dx = c.residual() ? dMlpIn.addi(dx) : dMlpIn;
                if (post) dx = layerNormBackward(bc.ln1, dx, g);
                INDArray dAttnIn = attentionBackward(i, bc, dx, g);
                if (pre) dAttnIn = layerNormBackward(bc.ln1, dAttnIn, g);
                dx = (c.residual() ? dAttnIn.addi(dx) : dAttnIn).leverageTo(Nd4jEngine.PASS);
                g.replaceAll((name, grad) -> grad.leverageTo(Nd4jEngine.PASS)); // those of this block; the rest are there
            }
        }
        embedBackward(dx, g);
        return g;
    }

    private INDArray embed() {
        int[] flat = new int[b * n];
        for (int s = 0; s < b; s++) System.arraycopy(tokens[s], 0, flat, s * n, n);
        // one native gather: INDArray.getRows assigns row by row, one JNI call per token (88% of a small forward's ops)
        INDArray x = Nd4j.pullRows(param("embed.weight"), 1, flat); // [b*n, d]
        INDArray pe = switch (c.pe()) {
            case learned -> param("pos_embed.weight").get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            case sinusoidal -> Writes.floats(Sinusoid.table(n, d), n, d).castTo(dt);
            default -> null; // none, or a scheme that acts inside attention
        };
        if (pe != null) x = x.reshape(b, n * d).addiRowVector(pe.dup('c').reshape(1, n * d)).reshape(b * n, d);
        return x;
    }

    private void embedBackward(INDArray dx, Map<String, INDArray> g) {
        int rows = b * n, vocab = c.vocabSize();
        float[] oneHot = new float[rows * vocab];
        for (int s = 0; s < b; s++) for (int t = 0; t < n; t++) oneHot[(s * n + t) * vocab + tokens[s][t]] = 1;
        INDArray tokenOneHot = Writes.floats(oneHot, rows, vocab).castTo(dt);
        accumulate(g, "embed.weight", Gemm.product(tokenOneHot, true, dx, false)); // scatter-add rows by token id
        if (c.pe() == PositionalEncoding.learned) {
            INDArray perPosition = dx.reshape(b, n * d).sum(0).reshape(n, d);
            INDArray full = Nd4j.zeros(dt, c.maxLen(), d);
            full.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(perPosition);
            accumulate(g, "pos_embed.weight", full);
        }
    }

    /**
     * Self-attention with one fused projection: x [W_q; W_k; W_v]^T gives q, k and v in one matmul, one bias add and
     * one copy into head layout (three of each before; at d_model 64 per-op cost dominates). RoPE rotates q and k
     * after the split; mask, window and ALiBi are one additive bias on the scaled scores.
     */
    private INDArray attention(int i, BlockCache bc) {
        INDArray qkv = linear(bc.attnIn, qkvName(i));                                   // [b*n, 3d]
        // the fused kernel reads q, k, v from qkv where they are; RoPE's rotation and a scores capture stay on ND4J ops
        if (kernels && bc.scheme.position() != PositionalEncoding.rope && !capture.wantsScores()) {
            BlockScheme s = bc.scheme;
            float[] slopes = null;
            if (s.position() == PositionalEncoding.alibi) {
                double[] m = c.alibiSlopes();
                slopes = new float[m.length];
                for (int h = 0; h < m.length; h++) slopes[h] = (float) m[h];
            }
            bc.qkv = qkv;
            bc.fusedShape = FusedKernels.shape(b, n, heads, hd, s.attention() != AttentionMask.bidirectional,
                    s.attention() == AttentionMask.sliding_window ? s.window() : 0, slopes);
            bc.o2d = Nd4j.createUninitialized(dt, (long) b * n, d);
            bc.p = training || capture.wantsProbabilities() ? Nd4j.createUninitialized(dt, b, heads, n, n) : null;
            FusedKernels.attention(qkv, bc.o2d, bc.p, bc.fusedShape, threads);
            if (capture.wantsProbabilities()) capture.attention(i + 1, tensor(bc.p, (long) b, heads, n, n), null);
            return linear(bc.o2d, ModelWeights.block(i, "attn.o"));
        }
        INDArray split = qkv.reshape(b, n, 3, heads, hd).permute(2, 0, 3, 1, 4).dup('c'); // [3, b, h, n, hd]
        boolean rope = bc.scheme.position() == PositionalEncoding.rope;
        bc.q = rope ? rotate(slot(split, 0), false) : slot(split, 0);
        bc.k = rope ? rotate(slot(split, 1), false) : slot(split, 1);
        bc.v = slot(split, 2);
        INDArray scores = Nd4j.matmul(bc.q, bc.k, false, true, false).muli(1 / Math.sqrt(hd)); // [b,h,n,n]
        INDArray bias = bias(bc.scheme);
        if (bias != null) {
            long perRow = bias.length(); // n*n (one bias for every head) or heads*n*n (ALiBi: one per head)
            scores = scores.reshape((long) b * heads * n * n / perRow, perRow).addiRowVector(bias).reshape(b, heads, n, n);
        }
        if (capture.wantsScores()) capture.attention(i + 1, null, hideMasked(tensor(scores, (long) b, heads, n, n), bc.scheme));
        bc.p = Nd4j.exec(new SoftMax(scores, scores.ulike(), 3))[0];
        if (capture.wantsProbabilities()) capture.attention(i + 1, tensor(bc.p, (long) b, heads, n, n), null);
        bc.o2d = fromHeads(Nd4j.matmul(bc.p, bc.v));
        return linear(bc.o2d, ModelWeights.block(i, "attn.o"));
    }

    private INDArray attentionBackward(int i, BlockCache bc, INDArray dAttn, Map<String, INDArray> g) {
        if (bc.fusedShape != null) {
            INDArray dO = whole(linearBackward(bc.o2d, dAttn, ModelWeights.block(i, "attn.o"), g)); // [b*n, d]
            INDArray dQkv = Nd4j.createUninitialized(dt, (long) b * n, 3L * d);
            FusedKernels.attentionBackward(bc.qkv, bc.p, dO, dQkv, bc.fusedShape, threads);
            return linearBackward(bc.attnIn, dQkv, qkvName(i), g);
        }
        INDArray dO = toHeads(linearBackward(bc.o2d, dAttn, ModelWeights.block(i, "attn.o"), g));
        INDArray dP = Nd4j.matmul(dO, bc.v, false, true, false);           // [b,h,n,n]
        // dQ, dK, dV are written into one [3, b, h, n, hd] buffer, the fused projection's gradient in head layout
        INDArray dSplit = Nd4j.create(dt, 3, b, heads, n, hd);
        INDArray dQ = slot(dSplit, 0), dK = slot(dSplit, 1), dV = slot(dSplit, 2);
        Nd4j.matmul(bc.p, dO, dV, true, false, false);
        // softmax backward row by row: dS = P * (dP - sum_j dP_j P_j); masked entries have P = 0 (the bias is constant)
        long rows = (long) b * heads * n;
        INDArray p2 = bc.p.reshape(rows, n), dP2 = dP.reshape(rows, n);
        Nd4j.exec(new SubOp(dP2, mul(dP2, p2).sum(true, 1), dP2)); // dP is not needed after this: in place
        INDArray dS = dP2.muli(p2).muli(1 / Math.sqrt(hd)).reshape(b, heads, n, n);
        if (bc.scheme.position() == PositionalEncoding.rope) { // the gradient of the rotated q, k, rotated back
            dQ.assign(rotate(Nd4j.matmul(dS, bc.k), true));
            dK.assign(rotate(Nd4j.matmul(dS, bc.q, true, false, false), true));
        } else {
            Nd4j.matmul(dS, bc.k, dQ, false, false, false);
            Nd4j.matmul(dS, bc.q, dK, true, false, false);
        }
        INDArray dQkv = dSplit.permute(1, 3, 0, 2, 4).dup('c').reshape((long) b * n, 3L * d);
        return linearBackward(bc.attnIn, dQkv, qkvName(i), g);
    }

    /**
     * RoPE on [b, h, n, hd] (see {@link Rope}): x cos + (x R) sin, where R moves each dimension's partner into it and
     * sin carries rotate-half's sign. R is orthogonal, so the transpose map, for a gradient, is dy cos + (dy sin) R^T.
     */
    private INDArray rotate(INDArray x, boolean transpose) {
        INDArray cos = ropeTable("cos"), sin = ropeTable("sin"), r = ropeTable("R");
        long rows = (long) b * heads;
        INDArray flat = x.dup('c').reshape(rows, (long) n * hd);
        INDArray out = flat.mulRowVector(cos);
        if (transpose) {
            INDArray scaled = flat.mulRowVector(sin).reshape(rows * n, hd);
            out.addi(Nd4j.matmul(scaled, r, false, true, false).reshape(rows, (long) n * hd));
        } else {
            out.addi(Nd4j.matmul(flat.reshape(rows * n, hd), r).reshape(rows, (long) n * hd).muliRowVector(sin));
        }
        return out.reshape(b, heads, n, hd);
    }

    /**
     * RoPE's cos and signed sin tables as [n * hd] rows, and R ([hd, hd], R[partner(k)][k] = 1), made once per pass and
     * kept in the pass's workspace (a block's own is reused by the next block).
     */
    private INDArray ropeTable(String which) {
        return ropeTables.computeIfAbsent(which, key -> passWide(switch (key) {
            case "cos" -> row(Rope.cos(n, hd, c.rope()));
            case "sin" -> row(Rope.sin(n, hd, c.rope()));
            default -> {
                double[] m = new double[hd * hd];
                for (int k = 0; k < hd; k++) m[Rope.partner(k, hd, c.rope().fraction()) * hd + k] = 1;
                yield Nd4j.create(m, new long[] {hd, hd}, 'c').castTo(dt);
            }
        }));
    }

    /** The array in the pass's workspace, where what every block shares must live (see Nd4jEngine.activateBlock). */
    private static INDArray passWide(INDArray a) {
        return a == null ? null : a.leverageTo(Nd4jEngine.PASS);
    }

    private INDArray row(double[] values) {
        return Nd4j.create(values, new long[] {1, values.length}, 'c').castTo(dt);
    }

    /**
     * The additive score bias of a block's scheme as one row: MASKED where the mask hides key j from query i, and
     * ALiBi's -m_h |i - j| ([heads * n * n] then, else [n * n]); null when nothing is added. One per scheme per pass, in
     * the pass's workspace.
     */
    private INDArray bias(BlockScheme s) {
        boolean alibi = s.position() == PositionalEncoding.alibi;
        if (!alibi && s.attention() == AttentionMask.bidirectional) return null;
        return biases.computeIfAbsent(s.label(), key -> {
            double[] slopes = alibi ? c.alibiSlopes() : new double[1];
            double[] m = new double[slopes.length * n * n];
            for (int h = 0; h < slopes.length; h++) {
                for (int t = 0; t < n; t++) {
                    for (int u = 0; u < n; u++) m[(h * n + t) * n + u] = s.attention().allows(t, u, s.window()) ? Alibi.bias(slopes[h], t, u) : MASKED;
                }
            }
            return passWide(row(m));
        });
    }

    /** Captured scores show a hidden key as -Infinity (the engine adds a large negative number instead). */
    private Tensor hideMasked(Tensor scores, BlockScheme s) {
        float[] v = scores.data();
        double[] exact = scores.precise();
        for (int k = 0; k < v.length; k++) {
            int u = k % n, t = (k / n) % n;
            if (!s.attention().allows(t, u, s.window())) {
                v[k] = Float.NEGATIVE_INFINITY;
                if (exact != null) exact[k] = Double.NEGATIVE_INFINITY;
            }
        }
        return scores;
    }

    private static INDArray slot(INDArray split, int k) {
        return split.get(NDArrayIndex.point(k), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** The fused projection's parameter name; its weight and bias are q, k, v stacked (see {@link Params}). */
    static String qkvName(int i) {
        return ModelWeights.block(i, "attn.qkv");
    }

    /** [b*n, d] -> [b, heads, n, head_dim] */
    private INDArray toHeads(INDArray x) {
        return x.reshape(b, n, heads, hd).permute(0, 2, 1, 3).dup('c');
    }

    /** [b, heads, n, head_dim] -> [b*n, d], heads concatenated */
    private INDArray fromHeads(INDArray x) {
        return x.permute(0, 2, 1, 3).dup('c').reshape((long) b * n, d);
    }

    /**
     * y = x W^T + b. Nd4j.matmul with transpose flags: INDArray.mmul copied a transposed operand or its result
     * (75 copies in a paper-d64 step).
     */
    private INDArray linear(INDArray x, String name) {
        return Gemm.linear(x, param(name + ".weight"), param(name + ".bias"));
    }

    /** For y = x W^T + b: accumulates dW = dy^T x and db = sum dy; returns dx = dy W. */
    private INDArray linearBackward(INDArray x, INDArray dy, String name, Map<String, INDArray> g) {
        accumulate(g, name + ".weight", Gemm.product(dy, true, x, false));
        accumulate(g, name + ".bias", Gemm.columnSums(dy));
        return Gemm.product(dy, false, param(name + ".weight"), false);
    }

    private Ln layerNorm(INDArray x, String name) {
        if (kernels) {
            long rows = x.size(0), w = x.size(1);
            INDArray y = Nd4j.createUninitialized(dt, rows, w), inv = Nd4j.createUninitialized(dt, rows, 1);
            INDArray xhat = training ? Nd4j.createUninitialized(dt, rows, w) : null; // only the backward reads xhat
            FusedKernels.layerNorm(whole(x), param(name + ".weight"), param(name + ".bias"), y, xhat, inv, LN_EPS, threads);
            return new Ln(y, xhat, inv, name);
        }
        INDArray centred = sub(x, x.mean(true, 1));
        INDArray inv = Transforms.pow(mul(centred, centred).mean(true, 1).addi(LN_EPS), -0.5, false); // [rows, 1]
        INDArray xhat = Nd4j.exec(new MulOp(centred, inv, centred))[0];
        INDArray y = mul(xhat, param(name + ".weight"));
        Nd4j.exec(new AddOp(y, param(name + ".bias"), y));
        return new Ln(y, xhat, inv, name);
    }

    /** dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), with dxhat = dy * gamma. */
    private INDArray layerNormBackward(Ln ln, INDArray dy, Map<String, INDArray> g) {
        if (kernels) {
            long w = dy.size(1);
            INDArray dx = Nd4j.createUninitialized(dt, dy.size(0), w), dgamma = Nd4j.createUninitialized(dt, w), dbeta = Nd4j.createUninitialized(dt, w);
            FusedKernels.layerNormBackward(whole(dy), ln.xhat, ln.inv, param(ln.name + ".weight"), dx, dgamma, dbeta, threads);
            accumulate(g, ln.name + ".weight", dgamma);
            accumulate(g, ln.name + ".bias", dbeta);
            return dx;
        }
        accumulate(g, ln.name + ".weight", mul(dy, ln.xhat).sum(0));
        accumulate(g, ln.name + ".bias", dy.sum(0));
        INDArray dxhat = mul(dy, param(ln.name + ".weight"));
        INDArray along = mul(ln.xhat, mul(dxhat, ln.xhat).mean(true, 1));
        Nd4j.exec(new SubOp(dxhat, dxhat.mean(true, 1), dxhat));
        dxhat.subi(along);
        return Nd4j.exec(new MulOp(dxhat, ln.inv, dxhat))[0];
    }

    /**
     * a * b and a - b with NumPy broadcasting into a new array. INDArray.mul/sub copy a first and then work in
     * place: that copy (old_assign) was 412 of a paper-d64 training step's 1006 native calls.
     */
    private static INDArray mul(INDArray a, INDArray b) {
        return Nd4j.exec(new MulOp(a, b))[0];
    }

    private static INDArray sub(INDArray a, INDArray b) {
        return Nd4j.exec(new SubOp(a, b))[0];
    }

    private static INDArray scaled(INDArray a, double k) {
        return Nd4j.exec(new ScalarMultiplication(a, null, a.ulike(), k));
    }

    private static INDArray whole(INDArray a) {
        return Reads.whole(a);
    }

    /** bc.h1 = mlpIn fc1^T + bias and bc.a1 = act(h1): bias and GELU in one fused kernel, else ND4J ops. */
    private void mlpHidden(BlockCache bc, String fc1) {
        boolean tanh = c.activation() == Activation.gelu_tanh;
        if (kernels && (tanh || c.activation() == Activation.gelu)) {
            bc.h1 = Gemm.product(bc.mlpIn, false, param(fc1 + ".weight"), true);
            // without a backward h is not read again: a takes its place in its buffer (half the memory traffic)
            bc.a1 = training ? Nd4j.createUninitialized(dt, bc.h1.shape()) : bc.h1;
            bc.cdf = tanh || !training ? null : Nd4j.createUninitialized(dt, bc.h1.shape()); // Phi(h) for the backward only
            FusedKernels.biasGelu(bc.h1, param(fc1 + ".bias"), bc.a1, bc.cdf, tanh, threads);
            return;
        }
        bc.h1 = linear(bc.mlpIn, fc1);
        bc.a1 = activation(bc.h1, bc);
    }

    /** The MLP's activation; for gelu, Phi(x) is kept in the block cache for the backward pass. */
    private INDArray activation(INDArray x, BlockCache bc) {
        return switch (c.activation()) {
            case relu -> Transforms.relu(x, true);
            case gelu -> {
                bc.cdf = Nd4j.exec(new Erf(scaled(x, 1 / Math.sqrt(2)))).addi(1).muli(0.5);
                yield mul(x, bc.cdf);
            }
            case gelu_tanh -> x.mul(0.5).muli(Transforms.tanh(geluTanhInner(x), false).addi(1));
            case silu -> x.mul(Transforms.sigmoid(x, true));
        };
    }

    private INDArray activationBackward(BlockCache bc, INDArray dy) {
        boolean tanh = c.activation() == Activation.gelu_tanh;
        if (kernels && (tanh || c.activation() == Activation.gelu)) {
            INDArray d = whole(dy);
            FusedKernels.geluBackward(bc.h1, bc.cdf, d, tanh, threads);
            return d;
        }
        INDArray x = bc.h1;
        INDArray slope = switch (c.activation()) {
            case relu -> x.gt(0).castTo(dt);
            case gelu -> {
                // Phi(x) + x phi(x); Phi from the forward pass (erf was 6% of a small model's step)
                INDArray pdf = Transforms.exp(mul(x, x).muli(-0.5), false).muli(1 / Math.sqrt(2 * Math.PI));
                yield pdf.muli(x).addi(bc.cdf);
            }
            case gelu_tanh -> {
                INDArray t = Transforms.tanh(geluTanhInner(x), false);
                INDArray du = x.mul(x).muli(3 * 0.044715).addi(1).muli(Math.sqrt(2 / Math.PI));
                INDArray sech2 = t.mul(t).rsubi(1);
                yield t.add(1).muli(0.5).addi(x.mul(0.5).muli(sech2).muli(du));
            }
            case silu -> {
                INDArray s = Transforms.sigmoid(x, true);
                yield s.mul(x.mul(s.rsub(1)).addi(1));
            }
        };
        return slope.muli(dy);
    }

    private static INDArray geluTanhInner(INDArray x) {
        return x.mul(x).muli(0.044715).addi(1).muli(x).muli(Math.sqrt(2 / Math.PI));
    }

    private INDArray param(String name) {
        return params.get(name);
    }

    /**
     * Adds a gradient in the parameter's own layout. The fused projection's gradient stays fused ([3d, d] and
     * [3d], rows q, k, v): the engine splits it on the Java side, where slicing costs no native copy.
     */
    private void accumulate(Map<String, INDArray> g, String name, INDArray grad) {
        INDArray shaped = Params.fused(name) ? grad : grad.reshape(param(name).shape());
        g.merge(name, shaped, INDArray::addi);
    }

    private void keep(String name, INDArray x2d) {
        if (!capture.wants(name)) return;
        capture.state(name, tensor(x2d, (long) b, n, x2d.size(1)));
    }

    /**
     * The array's values as a tensor of the given shape: float32 read straight from a contiguous buffer (no native
     * cast and copy), float64 with its exact values kept (a float64 pass is a check and is measured as such).
     */
    private static Tensor tensor(INDArray a, long... shape) {
        return a.dataType() == DataType.DOUBLE ? Tensor.ofDoubles(shape, Reads.doubles(a)) : new Tensor(shape, Reads.floats(a));
    }
}
