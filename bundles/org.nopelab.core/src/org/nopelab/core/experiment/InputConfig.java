package org.nopelab.core.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The analysed sequences: how tokens are drawn, how long, how many. */
public record InputConfig(String distribution, @JsonProperty("seq_len") int seqLen, int samples) {}
