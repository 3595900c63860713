package org.nopelab.core.metrics;

/** How two hidden states of one sequence are compared. cosine is the paper's; pearson is cosine of
 *  vectors centred over their own coordinates; dot is unnormalised. */
public enum SimilarityKind { cosine, dot, pearson }
