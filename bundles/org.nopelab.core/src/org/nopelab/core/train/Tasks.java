package org.nopelab.core.train;

import java.util.SplittableRandom;

import org.nopelab.core.engine.Batch;

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

    /**
     * A task from a generator of one input (drawn, its key and its sequence) and a builder of the batch: inputs are
     * redrawn until they fall on the requested side of the held-out split, decided by a hash of the input's key.
     */
    private record Simple(String name, int vocabSize, int positions, long inputSpace, Drawer drawer, java.util.function.Function<int[][], Batch> batch)
            implements Task {
        @Override
        public Batch sample(SplittableRandom r, int size, Split split) {
            int[][] sequences = new int[size][];
            for (int s = 0; s < size; s++) {
                Drawn d;
                do {
                    d = drawer.draw(r);
                } while (holdsOut() && heldOut(d.key()) != (split == Split.heldOut));
                sequences[s] = d.sequence();
            }
            return batch.apply(sequences);
        }
    }

    /** One input: a key naming it (equal inputs, equal keys) and its token sequence. */
    private record Drawn(long key, int[] sequence) {}

    private interface Drawer {
        Drawn draw(SplittableRandom r);
    }

    /** The held-out side of the split: a fixed share of keys, spread over the input space by a 64-bit mix. */
    static boolean heldOut(long key) {
        long z = key + 0x9E3779B97F4A7C15L; // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return Long.remainderUnsigned(z, 1000) < Math.round(1000 * Task.HELD_OUT_FRACTION);
    }

    /** A key for an arbitrary token sequence (inputs too many to number). */
    private static long key(int[] tokens, int count) {
        long h = 1125899906842597L;
        for (int t = 0; t < count; t++) h = 31 * h + tokens[t];
        return h;
    }

    private static long power(long base, int exp) {
        long n = 1;
        for (int i = 0; i < exp; i++) {
            if (n > Long.MAX_VALUE / base) return Long.MAX_VALUE;
            n *= base;
        }
        return n;
    }

    /**
     * copy: predict the previous token. Tokens uniform over 16 ids, `length` positions; every position but the
     * first counts. Needs exactly the "where is my neighbour" information the adjacency pattern carries.
     */
    static Task previousToken(int length) {
        int vocab = 16;
        return new Simple("copy", vocab, length, power(vocab, length), r -> {
            int[] in = new int[length];
            for (int t = 0; t < length; t++) in[t] = r.nextInt(vocab);
            return new Drawn(key(in, length), in);
        }, seqs -> {
            int batch = seqs.length;
            int[][] out = new int[batch][length];
            float[][] w = new float[batch][length];
            for (int s = 0; s < batch; s++) {
                for (int t = 1; t < length; t++) {
                    out[s][t] = seqs[s][t - 1];
                    w[s][t] = 1;
                }
            }
            return new Batch(seqs, out, w);
        });
    }

    /**
     * add3: "a2 a1 a0 + b2 b1 b0 = c0 c1 c2 c3" with three-digit operands (leading zeros) and the four-digit
     * sum written least-significant digit first (our choice: carries then flow left to right). Plain: digits are
     * ids 0-9, '+' is 10, '=' is 11. Place-coded: each digit also carries its place, id = 10 x place + digit
     * (place 0 = units .. 3 = thousands), '+' is 40 and '=' 41 — a NoPE model then need not find the place of a
     * digit from the causal mask alone (measured: plain plateaus at 0.55, place-coded learns). 11 input positions;
     * the 4 answer digits count.
     */
    static Task add3(boolean placeCoded) {
        int plus = placeCoded ? 40 : 10, equals = plus + 1;
        return new Simple("add3", equals + 1, 11, 1_000_000, r -> {
            int a = r.nextInt(1000), b = r.nextInt(1000), c = a + b;
            int[] q = new int[12];
            q[0] = digit(a / 100, 2, placeCoded); q[1] = digit(a / 10 % 10, 1, placeCoded); q[2] = digit(a % 10, 0, placeCoded); q[3] = plus;
            q[4] = digit(b / 100, 2, placeCoded); q[5] = digit(b / 10 % 10, 1, placeCoded); q[6] = digit(b % 10, 0, placeCoded); q[7] = equals;
            for (int k = 0; k < 4; k++) { q[8 + k] = digit(c % 10, k, placeCoded); c /= 10; }
            return new Drawn(1000L * a + b, q);
        }, seqs -> shifted(seqs, 7));
    }

    private static int digit(int d, int place, boolean placeCoded) {
        return placeCoded ? 10 * place + d : d;
    }

    /**
     * A length curriculum (parity): training at step s uses the task of length min(L, start + s / steps), the
     * evaluation the full task, so accuracy is always measured at the full length.
     */
    static Task curriculum(Task full, java.util.function.IntFunction<Task> atStep) {
        return new Task() {
            @Override public String name() { return full.name(); }
            @Override public int vocabSize() { return full.vocabSize(); }
            @Override public int positions() { return full.positions(); }
            @Override public long inputSpace() { return full.inputSpace(); }
            @Override public Batch sample(SplittableRandom r, int batch, Split split) { return full.sample(r, batch, split); }
            @Override public Task atStep(int step) { return atStep.apply(step); }
            @Override public Accuracy evaluate(Predictor model, Batch eval) { return full.evaluate(model, eval); }
        };
    }

    /** modp: "a + b = c" with c = (a + b) mod p; ids 0..p-1 are numbers, p is '+', p+1 is '='; only c counts. */
    static Task modp(int p) {
        return new Simple("modp", p + 2, 4, (long) p * p, r -> {
            int a = r.nextInt(p), b = r.nextInt(p);
            return new Drawn((long) a * p + b, new int[] {a, p, b, p + 1, (a + b) % p});
        }, seqs -> shifted(seqs, 3));
    }

    /** parity: `length` random bits (ids 0/1), '=' (id 2), then the parity bit; only the parity bit counts. */
    static Task parity(int length) {
        return new Simple("parity", 3, length + 1, power(2, length), r -> {
            int[] q = new int[length + 2];
            int ones = 0;
            for (int t = 0; t < length; t++) ones += q[t] = r.nextInt(2);
            q[length] = 2;
            q[length + 1] = ones % 2;
            long key = 0;
            if (length <= 62) for (int t = 0; t < length; t++) key = 2 * key + q[t];
            else key = key(q, length);
            return new Drawn(key, q);
        }, seqs -> shifted(seqs, length));
    }

    /**
     * parity with a running-parity scratchpad: x1 p1 x2 p2 ... xL pL, bits x (ids 0/1) each followed by the parity of
     * the bits so far, written as its own ids (2 even, 3 odd: so an x and a p are told apart by the token, not the
     * position). Trained teacher-forced on every p; evaluated under greedy decoding, the model writing each p itself,
     * and scored on the last one, the parity of all L bits (token accuracy) and on all p (sequence accuracy).
     */
    static Task parityScratchpad(int length) {
        return new Scratchpad(length);
    }

    private record Scratchpad(int length) implements Task {
        @Override public String name() { return "parity"; }
        @Override public int vocabSize() { return 4; }
        @Override public int positions() { return 2 * length - 1; }
        @Override public long inputSpace() { return power(2, length); }

        @Override
        public Batch sample(SplittableRandom r, int size, Split split) {
            int[][] in = new int[size][2 * length - 1], out = new int[size][2 * length - 1];
            float[][] w = new float[size][2 * length - 1];
            for (int s = 0; s < size; s++) {
                int[] bits = new int[length];
                do {
                    for (int t = 0; t < length; t++) bits[t] = r.nextInt(2);
                } while (holdsOut() && heldOut(key(bits, length)) != (split == Split.heldOut));
                int running = 0;
                for (int t = 0; t < length; t++) {
                    running ^= bits[t];
                    in[s][2 * t] = bits[t];
                    out[s][2 * t] = 2 + running; // after x_t comes p_t
                    w[s][2 * t] = 1;
                    if (t + 1 < length) {
                        in[s][2 * t + 1] = 2 + running;
                        out[s][2 * t + 1] = bits[t + 1]; // the next bit is random: not counted
                    }
                }
            }
            return new Batch(in, out, w);
        }

        /** Greedy decoding: each p the model predicts is written into the input before the next one is predicted. */
        @Override
        public Accuracy evaluate(Predictor model, Batch eval) {
            int b = eval.size(), n = positions();
            int[][] in = new int[b][];
            for (int s = 0; s < b; s++) in[s] = eval.inputs()[s].clone();
            int[][] predicted = new int[b][n];
            for (int t = 0; t < length; t++) {
                int[][] p = model.predict(in); // causal: positions after 2t do not change the prediction at 2t
                for (int s = 0; s < b; s++) {
                    predicted[s][2 * t] = p[s][2 * t];
                    if (2 * t + 1 < n) in[s][2 * t + 1] = p[s][2 * t];
                }
            }
            long lastRight = 0, allRight = 0;
            for (int s = 0; s < b; s++) {
                boolean all = true;
                for (int t = 0; t < length; t++) all &= predicted[s][2 * t] == eval.targets()[s][2 * t];
                if (predicted[s][n - 1] == eval.targets()[s][n - 1]) lastRight++;
                if (all) allRight++;
            }
            return new Accuracy((double) lastRight / b, (double) allRight / b);
        }
    }
}
