package org.nopelab.core.model;



/**
 * Which keys a query sees. causal: decoder-only, keys 0..i. bidirectional: every key, the permutation-equivariant
 * control in which no position can emerge. sliding_window: causal and at most window keys back, keys
 * i - window + 1 .. i (both bounds inclusive, clipped at 0), as Mistral / Command A local layers.
 */
public enum AttentionMask {
    causal, bidirectional, sliding_window;

    /** True when query position i attends to key position j under this mask. */
    public boolean allows(int i, int j, int window) {
        return switch (this) {
            case causal -> j <= i;
            case bidirectional -> true;
            case sliding_window -> j <= i && i - j < window;
        };
    }
}
