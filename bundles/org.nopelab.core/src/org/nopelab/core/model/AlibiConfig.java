package org.nopelab.core.model;



/** ALiBi settings (Press et al. 2022): bias_max is B in the slopes 2^(-B h / heads); defaults and docs in the schema. */
public record AlibiConfig(@com.fasterxml.jackson.annotation.JsonProperty("bias_max") double biasMax) {}
