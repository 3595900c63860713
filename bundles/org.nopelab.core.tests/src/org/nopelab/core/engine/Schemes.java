package org.nopelab.core.engine;

import java.util.List;

import org.nopelab.core.model.Activation;
import org.nopelab.core.model.AlibiConfig;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.InitConfig;
import org.nopelab.core.model.InitScheme;
import org.nopelab.core.model.LayerNormPlacement;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.RopeConfig;

/** Small models of every position scheme and attention kind, for the engine tests. */
final class Schemes {
    private Schemes() {}

    /** d_model 24, 3 heads (head_dim 8; 3 is not a power of two, so ALiBi takes Press et al.'s other rule), 4 layers. */
    static ModelConfig model(PositionalEncoding pe, AttentionMask mask, int window, double ropeFraction, double alibiBiasMax,
            List<PositionalEncoding> layersPe, List<AttentionMask> layersAttention, Integer nopeEvery) {
        return new ModelConfig(11, 24, 3, 4, 40, Activation.gelu, LayerNormPlacement.pre, true, 0, pe, mask, 16,
                new InitConfig(InitScheme.normal, 0.3, 1.0), new RopeConfig(10000, ropeFraction), new AlibiConfig(alibiBiasMax), window,
                layersPe, layersAttention, nopeEvery);
    }

    static ModelConfig of(PositionalEncoding pe, AttentionMask mask) {
        return model(pe, mask, 3, 1.0, 8, null, null, null);
    }

    /** The variants every check runs on: each scheme, partial RoPE, a window, ALiBi both ways, two schedules. */
    static List<ModelConfig> all() {
        return List.of(
                of(PositionalEncoding.rope, AttentionMask.causal),
                model(PositionalEncoding.rope, AttentionMask.causal, 3, 0.5, 8, null, null, null),
                of(PositionalEncoding.alibi, AttentionMask.causal),
                of(PositionalEncoding.alibi, AttentionMask.bidirectional),
                of(PositionalEncoding.none, AttentionMask.sliding_window),
                of(PositionalEncoding.rope, AttentionMask.sliding_window),
                // SmolLM3-like: RoPE with every 4th block NoPE
                model(PositionalEncoding.rope, AttentionMask.causal, 3, 1.0, 8, null, null, 4),
                // Command-A-like: 3 sliding-window RoPE blocks, then a global NoPE one
                model(PositionalEncoding.rope, AttentionMask.causal, 3, 1.0, 8, null,
                        List.of(AttentionMask.sliding_window, AttentionMask.sliding_window, AttentionMask.sliding_window, AttentionMask.causal), 4),
                // a pattern of two repeated: ALiBi, RoPE
                model(PositionalEncoding.none, AttentionMask.causal, 3, 1.0, 8, List.of(PositionalEncoding.alibi, PositionalEncoding.rope), null, null));
    }
}
