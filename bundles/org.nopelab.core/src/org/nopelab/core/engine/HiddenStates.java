package org.nopelab.core.engine;

import java.util.List;

import org.nopelab.core.model.TensorMap;

/**
 * Every hidden state of one forward pass, by name, each [batch, positions, width]:
 * <ul>
 * <li>{@code layer0}: token embedding (+ positional encoding) - the paper's input layer;</li>
 * <li>{@code layerL.ln1}, {@code layerL.attn} (attention sublayer output, before the residual add),
 * {@code layerL.mid} (stream after attention), {@code layerL.ln2}, {@code layerL.mlp},
 * and {@code layerL}: the residual stream after block L (L = 1..layers);</li>
 * <li>{@code final_ln} (pre-LN models) and {@code logits} [batch, positions, vocab].</li>
 * </ul>
 */
public final class HiddenStates extends TensorMap {
    public HiddenStates() {
        super("hidden state");
    }

    /** Residual-stream names layer0..layerN in order: what "per layer" means in the paper. */
    public static List<String> layerNames(int layers) {
        return java.util.stream.IntStream.rangeClosed(0, layers).mapToObj(HiddenStates::layer).toList();
    }

    public static String layer(int l) {
        return "layer" + l;
    }

    public static String sub(int l, String part) {
        return "layer" + l + "." + part;
    }
}
