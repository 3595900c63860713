package org.nopelab.core.run;

import java.util.SplittableRandom;

import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.train.Task;

/**
 * The analysed sequences, from the data seed. uniform: i.i.d. tokens over the whole vocabulary, input.seq_len
 * long; task: the inputs of the task's own sequences.
 */
public final class TokenSampler {
    private TokenSampler() {}

    public static int[][] sample(Experiment e) {
        SplittableRandom r = new SplittableRandom(e.dataSeed());
        if ("task".equals(e.input().distribution())) return Task.of(e.task()).sample(r, e.input().samples()).inputs();
        int[][] tokens = new int[e.input().samples()][e.input().seqLen()];
        for (int[] row : tokens) for (int t = 0; t < row.length; t++) row[t] = r.nextInt(e.model().vocabSize());
        return tokens;
    }
}
