package org.nopelab.core.model;

/** Where LayerNorm sits: before each sublayer (GPT-2 style, plus a final LN), after each residual add
 *  (original Transformer), or nowhere. */
public enum LayerNormPlacement { pre, post, none }
