package org.nopelab.core.model;



/**
 * How a model knows position. NoPE (none) is the subject of the paper. learned and sinusoidal are added to the
 * token embeddings once, before block 1; rope and alibi act inside each block's attention (on q and k, or as a
 * bias on the scores), so a per-layer schedule can switch them off block by block.
 */
public enum PositionalEncoding {
    none, learned, sinusoidal, rope, alibi;

    /** True for the schemes added to the input embedding (learned, sinusoidal). */
    public boolean isAdditive() {
        return this == learned || this == sinusoidal;
    }

    /** True for the schemes applied in attention (rope, alibi): the ones a block schedule chooses between, with none. */
    public boolean inAttention() {
        return this == rope || this == alibi;
    }
}
