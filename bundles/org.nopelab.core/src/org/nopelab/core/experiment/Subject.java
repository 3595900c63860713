package org.nopelab.core.experiment;

import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.PositionalEncoding;

/** One model of an experiment: the model section, optionally trained, optionally with its own pe / attention. */
public record Subject(String name, Boolean trained, PositionalEncoding pe, AttentionMask attention) {
    public boolean isTrained() {
        return Boolean.TRUE.equals(trained);
    }

    public ModelConfig modelFor(ModelConfig m) {
        return new ModelConfig(m.vocabSize(), m.dModel(), m.heads(), m.layers(), m.dFf(), m.activation(), m.layerNorm(),
                m.residual(), m.dropout(), pe == null ? m.pe() : pe, attention == null ? m.attention() : attention, m.maxLen(), m.init());
    }

    /** The default: one random-init subject exactly as the model section says. */
    public boolean isPlainRandom() {
        return !isTrained() && pe == null && attention == null;
    }
}
