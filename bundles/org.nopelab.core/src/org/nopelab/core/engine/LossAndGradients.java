package org.nopelab.core.engine;

import java.util.Map;

/**
 * Cross-entropy over the weighted positions of a batch (mean over them), its gradient for every parameter
 * (same names and layouts as the weights), and the argmax prediction at every position [batch][positions].
 */
public record LossAndGradients(double loss, Map<String, double[]> gradients, int[][] predictions) {}
