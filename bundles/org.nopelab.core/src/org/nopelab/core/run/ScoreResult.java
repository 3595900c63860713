package org.nopelab.core.run;

import org.nopelab.core.metrics.Estimate;

/**
 * One adjacency score of one state: on the mean matrix over all sequences, per sequence (mean with 95%
 * interval), and the chance level a position-blind matrix would get.
 */
public record ScoreResult(double meanMatrix, Estimate perSequence, double chance) {}
