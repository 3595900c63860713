package org.nopelab.core.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A decoder-only transformer. Defaults and one-line docs live in the experiment schema
 * (schema/experiment-1.schema.json), the single source the editor, the docs and the reader share. Position lives
 * in three places: pe (added to the input, or applied in every block's attention), the per-block schedule
 * (layers_pe or nope_every; layers_attention) and the mask; {@link #block} resolves them for one block.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        InitConfig init,
        RopeConfig rope,
        AlibiConfig alibi,
        Integer window,
        @JsonProperty("layers_pe") List<PositionalEncoding> layersPe,
        @JsonProperty("layers_attention") List<AttentionMask> layersAttention,
        @JsonProperty("nope_every") Integer nopeEvery) {

    /** rope, alibi and window may be null where nothing uses them (model files written before either existed). */
    public ModelConfig {
        layersPe = layersPe == null ? null : List.copyOf(layersPe);
        layersAttention = layersAttention == null ? null : List.copyOf(layersAttention);
    }

    /** A model with one scheme in every block (the shape of every model before schedules). */
    public ModelConfig(int vocabSize, int dModel, int heads, int layers, int dFf, Activation activation, LayerNormPlacement layerNorm,
            boolean residual, double dropout, PositionalEncoding pe, AttentionMask attention, int maxLen, InitConfig init) {
        this(vocabSize, dModel, heads, layers, dFf, activation, layerNorm, residual, dropout, pe, attention, maxLen, init, null, null, null, null, null, null);
    }

    public int headDim() {
        return dModel / heads;
    }

    /**
     * Block i's (0-based) attention scheme: layers_pe's entry (a shorter list repeats as a pattern), else none for
     * every nope_every-th block (blocks nope_every, 2 nope_every, ... counted from 1), else pe when it acts in
     * attention; the mask from layers_attention the same way, else attention.
     */
    public BlockScheme block(int i) {
        PositionalEncoding p;
        if (layersPe != null) p = layersPe.get(i % layersPe.size());
        else if (nopeEvery != null && nopeEvery > 0 && (i + 1) % nopeEvery == 0) p = PositionalEncoding.none;
        else p = pe.inAttention() ? pe : PositionalEncoding.none;
        AttentionMask a = layersAttention != null ? layersAttention.get(i % layersAttention.size()) : attention;
        if (a == AttentionMask.sliding_window && (window == null || window < 1)) throw new IllegalStateException("block " + (i + 1) + " uses sliding_window attention but model.window is not set");
        if (p == PositionalEncoding.rope && rope == null) throw new IllegalStateException("block " + (i + 1) + " uses rope but model.rope is not set");
        if (p == PositionalEncoding.alibi && alibi == null) throw new IllegalStateException("block " + (i + 1) + " uses alibi but model.alibi is not set");
        return new BlockScheme(p, a, window == null ? 0 : window);
    }

    /** Every block's scheme, e.g. "input none; blocks rope, rope, rope, none": the model file's schedule entry. */
    @JsonIgnore
    public String schedule() {
        StringBuilder s = new StringBuilder("input ").append(pe.isAdditive() ? pe.name() : "none").append("; blocks ");
        for (int i = 0; i < layers; i++) s.append(i == 0 ? "" : ", ").append(block(i).label());
        return s.toString();
    }

    /** Every head's ALiBi slope, from alibi.bias_max. */
    public double[] alibiSlopes() {
        return Alibi.slopes(heads, alibi.biasMax());
    }
}
