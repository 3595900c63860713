package org.nopelab.core.monitor;



/**
 * One evaluation point of a training curve: written by training, drawn by the views while it runs, stored in
 * checkpoints and results. It lives beside the monitor so runs, training and views share it without depending on
 * each other.
 */
public record TrainingPoint(int step, double loss, double lr, double gradNorm, double batchAccuracy,
        double evalTokenAccuracy, double evalSequenceAccuracy, double tokensPerSecond) {}
