package org.nopelab.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A causal decoder-only transformer. Defaults and one-line docs live in the experiment schema
 * (schema/experiment-1.schema.json), the single source the editor, the docs and the reader share.
 */
public record ModelConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("d_model") int dModel,
        int heads,
        int layers,
        @JsonProperty("d_ff") int dFf,
        Activation activation,
        @JsonProperty("layer_norm") LayerNormPlacement layerNorm,
        boolean residual,
        double dropout,
        PositionalEncoding pe,
        AttentionMask attention,
        @JsonProperty("max_len") int maxLen,
        InitConfig init) {

    public int headDim() {
        return dModel / heads;
    }
}
