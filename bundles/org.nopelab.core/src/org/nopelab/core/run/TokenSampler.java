package org.nopelab.core.run;

import java.util.SplittableRandom;

import org.nopelab.core.experiment.InputConfig;

/** Input sequences. uniform: i.i.d. tokens over the whole vocabulary, from the data seed. */
public final class TokenSampler {
    private TokenSampler() {}

    public static int[][] sample(InputConfig input, int vocabSize, long dataSeed) {
        SplittableRandom r = new SplittableRandom(dataSeed);
        int[][] tokens = new int[input.samples()][input.seqLen()];
        for (int[] row : tokens) for (int t = 0; t < row.length; t++) row[t] = r.nextInt(vocabSize);
        return tokens;
    }
}
