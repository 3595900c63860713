package org.nopelab.core.model;

/** causal: decoder-only. bidirectional: the permutation-equivariant control in which no position can emerge. */
public enum AttentionMask { causal, bidirectional }
