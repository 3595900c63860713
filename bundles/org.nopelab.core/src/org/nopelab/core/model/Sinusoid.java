package org.nopelab.core.model;



/** Vaswani et al. sinusoidal encoding: PE[t][2i] = sin(t / 10000^(2i/d)), PE[t][2i+1] = cos(same). */
public final class Sinusoid {
    private Sinusoid() {}

    public static float[] table(int positions, int d) {
        float[] pe = new float[positions * d];
        for (int t = 0; t < positions; t++) {
            for (int c = 0; c < d; c++) {
                double freq = Math.pow(10000, -(2 * (c / 2)) / (double) d);
                pe[t * d + c] = (float) (c % 2 == 0 ? Math.sin(t * freq) : Math.cos(t * freq));
            }
        }
        return pe;
    }
}
