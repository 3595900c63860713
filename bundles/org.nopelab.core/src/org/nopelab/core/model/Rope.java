package org.nopelab.core.model;



/**
 * Rotary position embedding in the rotate-half convention of GPT-NeoX and Hugging Face Llama: of each head's
 * head_dim dimensions the first r = 2 floor(fraction head_dim / 2) are rotated, dimension k < r/2 paired with
 * k + r/2 at angle t theta_k, theta_k = base^(-2k/r), t the 0-based position; dimensions r.. pass unchanged
 * (partial RoPE). Applied to q and k of every head after their projection, never to v:
 * x'[k] = x[k] cos - x[k + r/2] sin, x'[k + r/2] = x[k + r/2] cos + x[k] sin.
 */
public final class Rope {
    private Rope() {}

    public static int rotated(int headDim, double fraction) {
        return 2 * (int) Math.floor(fraction * headDim / 2);
    }

    /** cos(t theta) for every position and head dimension, [positions * headDim]; 1 where nothing rotates. */
    public static double[] cos(int positions, int headDim, RopeConfig c) {
        return table(positions, headDim, c, true);
    }

    /** sin(t theta) with the sign rotate-half needs folded in: -sin for k < r/2, +sin for r/2 <= k < r, 0 beyond. */
    public static double[] sin(int positions, int headDim, RopeConfig c) {
        return table(positions, headDim, c, false);
    }

    /** Index of the dimension whose value rotates into dimension k (k itself where nothing rotates). */
    public static int partner(int k, int headDim, double fraction) {
        int r = rotated(headDim, fraction), half = r / 2;
        return k < half ? k + half : k < r ? k - half : k;
    }

    private static double[] table(int positions, int headDim, RopeConfig c, boolean cosine) {
        int r = rotated(headDim, c.fraction()), half = r / 2;
        double[] out = new double[positions * headDim];
        for (int t = 0; t < positions; t++) {
            for (int k = 0; k < headDim; k++) {
                double v;
                if (k >= r) {
                    v = cosine ? 1 : 0;
                } else {
                    double angle = t * Math.pow(c.base(), -2.0 * (k % half) / r);
                    v = cosine ? Math.cos(angle) : (k < half ? -1 : 1) * Math.sin(angle);
                }
                out[t * headDim + k] = v;
            }
        }
        return out;
    }
}
