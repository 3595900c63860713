package org.nopelab.core.model;



/** Rotary position embedding settings (Su et al. 2021); defaults and docs in the experiment schema. */
public record RopeConfig(double base, double fraction) {}
