package org.nopelab.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The train section of an experiment file; defaults and docs are in the schema. */
public record TrainConfig(
        int steps,
        @JsonProperty("batch_size") int batchSize,
        double lr,
        double beta1,
        double beta2,
        double eps,
        @JsonProperty("weight_decay") double weightDecay,
        String optimizer,
        int warmup,
        String schedule,
        @JsonProperty("min_lr") double minLr,
        @JsonProperty("clip_norm") double clipNorm,
        @JsonProperty("eval_interval") int evalInterval,
        @JsonProperty("eval_samples") int evalSamples,
        @JsonProperty("checkpoint_interval") int checkpointInterval,
        @JsonProperty("length_factors") java.util.List<Integer> lengthFactors) {

    /** A train section without length-generalisation factors (the shape before they existed). */
    public TrainConfig(int steps, int batchSize, double lr, double beta1, double beta2, double eps, double weightDecay, String optimizer, int warmup,
            String schedule, double minLr, double clipNorm, int evalInterval, int evalSamples, int checkpointInterval) {
        this(steps, batchSize, lr, beta1, beta2, eps, weightDecay, optimizer, warmup, schedule, minLr, clipNorm, evalInterval, evalSamples, checkpointInterval, null);
    }

    /** The optimizer settings the engine's training session applies. */
    public org.nopelab.core.engine.Adam.Settings adam() {
        return new org.nopelab.core.engine.Adam.Settings("adamw".equals(optimizer), beta1, beta2, eps, weightDecay, clipNorm);
    }

    /** Learning rate at a 0-based step: linear warm-up to lr, then constant or cosine decay to min_lr. */
    public double lrAt(int step) {
        if (step < warmup) return lr * (step + 1) / warmup;
        if (!"cosine".equals(schedule) || steps <= warmup) return lr;
        double progress = (double) (step - warmup) / Math.max(1, steps - warmup);
        return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
