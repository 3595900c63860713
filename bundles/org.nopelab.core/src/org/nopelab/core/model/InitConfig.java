package org.nopelab.core.model;

/** Initialisation: scheme, std (normal only) and a global scale applied to every random draw. */
public record InitConfig(InitScheme scheme, double std, double scale) {}
