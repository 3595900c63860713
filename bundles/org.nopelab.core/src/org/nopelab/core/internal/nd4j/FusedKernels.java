package org.nopelab.core.internal.nd4j;

import java.nio.ByteBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nopelab.core.engine.Adam;
import org.nopelab.kernels.ActivationKernel;
import org.nopelab.kernels.AdamKernel;
import org.nopelab.kernels.AttentionKernel;
import org.nopelab.kernels.LayerNormKernel;

/**
 * The pass's door to the fused float32 kernels of org.nopelab.kernels, on ND4J's own buffers (no copy). Only
 * {@link KernelSupport#available()} decides whether this class is touched: where the kernels bundle is not resolved
 * loading it would fail, and the pass keeps its ND4J ops.
 */
final class FusedKernels {
    private FusedKernels() {}

    /** The array's native bytes; it must be a whole, contiguous float32 array (a fresh result or a parameter). */
    static ByteBuffer bytes(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !Reads.isWhole(a))
            throw new IllegalArgumentException("a fused kernel needs a whole contiguous float32 array, got " + a.shapeInfoToString());
        return a.data().asNio();
    }

    static void layerNorm(INDArray x, INDArray gamma, INDArray beta, INDArray y, INDArray xhat, INDArray inv, double eps, int threads) {
        LayerNormKernel.forward(bytes(x), bytes(gamma), bytes(beta), bytes(y), xhat == null ? null : bytes(xhat), bytes(inv), (int) x.size(0), (int) x.size(1), eps, threads);
    }

    static void layerNormBackward(INDArray dy, INDArray xhat, INDArray inv, INDArray gamma, INDArray dx, INDArray dgamma, INDArray dbeta, int threads) {
        LayerNormKernel.backward(bytes(dy), bytes(xhat), bytes(inv), bytes(gamma), bytes(dx), bytes(dgamma), bytes(dbeta), (int) dy.size(0), (int) dy.size(1), threads);
    }

    static void biasGelu(INDArray h, INDArray bias, INDArray a, INDArray cdf, boolean tanh, int threads) {
        ActivationKernel.biasGelu(bytes(h), bytes(bias), bytes(a), tanh || cdf == null ? null : bytes(cdf), (int) h.size(0), (int) h.size(1), tanh, threads);
    }

    static void geluBackward(INDArray h, INDArray cdf, INDArray dy, boolean tanh, int threads) {
        ActivationKernel.geluBackward(bytes(h), tanh ? null : bytes(cdf), bytes(dy), (int) h.size(0), (int) h.size(1), tanh, threads);
    }

    /** adam's update of one float32 parameter with its moments and gradient, bit for bit what Adam.update computes. */
    static void adam(Adam adam, INDArray p, INDArray m, INDArray v, INDArray g, double lr, double gradScale, int threads) {
        Adam.Settings s = adam.settings();
        AdamKernel.update(bytes(p), bytes(m), bytes(v), bytes(g), (int) p.length(), new AdamKernel.Step(lr, gradScale, s.beta1(), s.beta2(), s.eps(),
                s.weightDecay(), s.decoupled(), adam.biasCorrection1(), adam.biasCorrection2Sqrt()), threads);
    }

    /** The pass's description of one block's attention, for both directions. */
    static Object shape(int b, int n, int heads, int hd, boolean causal, int window, float[] slopes) {
        return new AttentionKernel.Shape(b, n, heads, hd, causal, window, slopes, (float) (1 / Math.sqrt(hd)));
    }

    static void attention(INDArray qkv, INDArray out, INDArray p, Object shape, int threads) {
        AttentionKernel.forward(bytes(qkv), bytes(out), p == null ? null : bytes(p), (AttentionKernel.Shape) shape, threads);
    }

    static void attentionBackward(INDArray qkv, INDArray p, INDArray dOut, INDArray dQkv, Object shape, int threads) {
        AttentionKernel.backward(bytes(qkv), bytes(p), bytes(dOut), bytes(dQkv), (AttentionKernel.Shape) shape, threads);
    }
}
