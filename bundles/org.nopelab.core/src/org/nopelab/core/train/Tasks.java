package org.nopelab.core.train;

import java.util.SplittableRandom;

/** The paper's tasks (paper-spec §4) plus previous-token copy as a sanity task. */
final class Tasks {
    private Tasks() {}

    /** Builds a batch from whole sequences: inputs drop the last token, targets drop the first. */
    private static Batch shifted(int[][] sequences, int firstCounted) {
        int b = sequences.length, n = sequences[0].length - 1;
        int[][] in = new int[b][n], out = new int[b][n];
        float[][] w = new float[b][n];
        for (int s = 0; s < b; s++) {
            System.arraycopy(sequences[s], 0, in[s], 0, n);
            System.arraycopy(sequences[s], 1, out[s], 0, n);
            for (int t = firstCounted; t < n; t++) w[s][t] = 1;
        }
        return new Batch(in, out, w);
    }

    private record Simple(String name, int vocabSize, int positions, Sampler sampler) implements Task {
        @Override
        public Batch sample(SplittableRandom r, int batch) {
            return sampler.sample(r, batch);
        }
    }

    private interface Sampler {
        Batch sample(SplittableRandom r, int batch);
    }

    /**
     * copy: predict the previous token. Tokens uniform over 16 ids, `length` positions; every position but the
     * first counts. Needs exactly the "where is my neighbour" information the adjacency pattern carries.
     */
    static Task previousToken(int length) {
        int vocab = 16;
        return new Simple("copy", vocab, length, (r, batch) -> {
            int[][] in = new int[batch][length], out = new int[batch][length];
            float[][] w = new float[batch][length];
            for (int s = 0; s < batch; s++) {
                for (int t = 0; t < length; t++) in[s][t] = r.nextInt(vocab);
                for (int t = 1; t < length; t++) {
                    out[s][t] = in[s][t - 1];
                    w[s][t] = 1;
                }
            }
            return new Batch(in, out, w);
        });
    }

    /**
     * add3: "a2 a1 a0 + b2 b1 b0 = c0 c1 c2 c3" with three-digit operands (leading zeros) and the four-digit
     * sum written least-significant digit first (our choice: carries then flow left to right). Digits are ids
     * 0-9, '+' is 10, '=' is 11; 11 input positions; the 4 answer digits count.
     */
    static Task add3() {
        return new Simple("add3", 12, 11, (r, batch) -> {
            int[][] seq = new int[batch][12];
            for (int s = 0; s < batch; s++) {
                int a = r.nextInt(1000), b = r.nextInt(1000), c = a + b;
                int[] q = seq[s];
                q[0] = a / 100; q[1] = a / 10 % 10; q[2] = a % 10; q[3] = 10;
                q[4] = b / 100; q[5] = b / 10 % 10; q[6] = b % 10; q[7] = 11;
                for (int k = 0; k < 4; k++) { q[8 + k] = c % 10; c /= 10; }
            }
            return shifted(seq, 7);
        });
    }

    /** modp: "a + b = c" with c = (a + b) mod p; ids 0..p-1 are numbers, p is '+', p+1 is '='; only c counts. */
    static Task modp(int p) {
        return new Simple("modp", p + 2, 4, (r, batch) -> {
            int[][] seq = new int[batch][5];
            for (int s = 0; s < batch; s++) {
                int a = r.nextInt(p), b = r.nextInt(p);
                seq[s] = new int[] {a, p, b, p + 1, (a + b) % p};
            }
            return shifted(seq, 3);
        });
    }

    /** parity: `length` random bits (ids 0/1), '=' (id 2), then the parity bit; only the parity bit counts. */
    static Task parity(int length) {
        return new Simple("parity", 3, length + 1, (r, batch) -> {
            int[][] seq = new int[batch][length + 2];
            for (int s = 0; s < batch; s++) {
                int ones = 0;
                for (int t = 0; t < length; t++) ones += seq[s][t] = r.nextInt(2);
                seq[s][length] = 2;
                seq[s][length + 1] = ones % 2;
            }
            return shifted(seq, length);
        });
    }
}
