package org.nopelab.core.model;



/**
 * What one block's attention does with position: the scheme applied inside attention (none = NoPE, rope or
 * alibi) and the mask (with the window of sliding_window). Resolved from the model section by
 * {@link ModelConfig#block}.
 */
public record BlockScheme(PositionalEncoding position, AttentionMask attention, int window) {
    /** "rope", "none+sliding_window(8)", ...: how the schedule is written in model files and reports. */
    public String label() {
        return position + (attention == AttentionMask.causal ? "" : "+" + attention + (attention == AttentionMask.sliding_window ? "(" + window + ")" : ""));
    }
}
