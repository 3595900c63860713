package org.nopelab.core.run;

import java.util.List;

/**
 * metrics.json: one subject's scores for every analysed state. The file format is nopelab/result/1. schedule is
 * the model's position scheme block by block ({@code ModelConfig.schedule}); null in results from before schedules.
 */
public record ResultSummary(
        String format,
        String experiment,
        String description,
        String engine,
        String similarity,
        int positions,
        int samples,
        double seconds,
        String schedule,
        TrainingSummary training,
        List<StateMetrics> states,
        /** Per block, what its attention does (null when analysis.attention is off or the sequences are too long). */
        List<org.nopelab.core.metrics.AttentionStats> attention) {

    public static final String FORMAT = "nopelab/result/1";

    /** How a trained subject was trained; null for random-init subjects. */
    public record TrainingSummary(String task, int steps, double tokenAccuracy, double sequenceAccuracy,
            double finalLoss, double seconds, double stepsPerSecond, int resumedFromStep, Boolean heldOut, String evaluation,
            @com.fasterxml.jackson.annotation.JsonProperty("length_generalisation") List<org.nopelab.core.train.LengthGeneralisation.Point> lengthGeneralisation) {
        /** "held-out accuracy", or plain "accuracy" where the evaluation could not be held out. */
        public String accuracyName() {
            return org.nopelab.core.train.Task.accuracyName(!Boolean.FALSE.equals(heldOut)); // files from before the split: held out
        }
    }
}
