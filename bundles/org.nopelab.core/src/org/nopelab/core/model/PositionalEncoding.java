package org.nopelab.core.model;

/** NoPE (none) is the subject of the paper; learned and sinusoidal are contrasts. */
public enum PositionalEncoding { none, learned, sinusoidal }
