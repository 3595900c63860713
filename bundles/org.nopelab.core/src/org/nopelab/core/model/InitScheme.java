package org.nopelab.core.model;

/**
 * Weight initialisation. normal: every weight matrix and embedding ~ N(0, std^2), biases 0.
 * xavier: Glorot-uniform linears, embeddings N(0,1). kaiming: He-normal (fan-in) linears, embeddings N(0,1).
 * pytorch: nn.Linear / nn.Embedding defaults (U(+-1/sqrt(fan_in)) weights and biases, N(0,1) embeddings).
 * LayerNorm is always weight 1, bias 0. Every draw is then multiplied by the init scale.
 */
public enum InitScheme { normal, xavier, kaiming, pytorch }
