package org.nopelab.core.experiment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.PositionalEncoding;

/**
 * One model of an experiment: the model section, optionally trained, optionally with its own position scheme and
 * attention. pe, attention and window override the model's one by one; a schedule is never half-inherited: a
 * subject that sets any of pe, layers_pe, nope_every has only its own layers_pe / nope_every (none: every block
 * uses pe), and one that sets attention, layers_attention or window only its own layers_attention. distribution
 * overrides input.distribution, so one trained model can be analysed on uniform tokens and on its task's own
 * sequences (subjects with the same model, training and seed share one training: see ExperimentRunner).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subject(String name, Boolean trained, PositionalEncoding pe, AttentionMask attention, Integer window,
        @JsonProperty("layers_pe") List<PositionalEncoding> layersPe,
        @JsonProperty("layers_attention") List<AttentionMask> layersAttention,
        @JsonProperty("nope_every") Integer nopeEvery, String distribution) {

    /** A subject with the overrides subjects had before schedules. */
    public Subject(String name, Boolean trained, PositionalEncoding pe, AttentionMask attention) {
        this(name, trained, pe, attention, null, null, null, null, null);
    }

    public boolean isTrained() {
        return Boolean.TRUE.equals(trained);
    }

    private boolean setsPosition() {
        return pe != null || layersPe != null || nopeEvery != null;
    }

    private boolean setsAttention() {
        return attention != null || layersAttention != null || window != null;
    }

    public ModelConfig modelFor(ModelConfig m) {
        boolean p = setsPosition(), a = setsAttention();
        return new ModelConfig(m.vocabSize(), m.dModel(), m.heads(), m.layers(), m.dFf(), m.activation(), m.layerNorm(),
                m.residual(), m.dropout(), pe == null ? m.pe() : pe, attention == null ? m.attention() : attention,
                m.maxLen(), m.init(), m.rope(), m.alibi(), window == null ? m.window() : window, p ? layersPe : m.layersPe(), a ? layersAttention : m.layersAttention(),
                p ? nopeEvery : m.nopeEvery());
    }

    public InputConfig inputFor(InputConfig in) {
        return distribution == null ? in : new InputConfig(distribution, in.seqLen(), in.samples());
    }

    /** The default: one random-init subject exactly as the model section says. */
    public boolean isPlainRandom() {
        return !isTrained() && !setsPosition() && !setsAttention() && distribution == null;
    }
}
