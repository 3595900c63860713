package org.nopelab.core.metrics;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import org.nopelab.core.model.Tensor;

/**
 * What one block's attention does, per head, over all analysed sequences: the mean attention matrix, attention
 * entropy by query position (beside that of uniform attention over the same keys, log of their number), the sink
 * rate (mean mass a query i >= 1 puts on position 0), and how much of the pre-softmax scores' variance the offset
 * i - j explains (offset R^2: 1 when a score depends on the offset alone, as with ALiBi's bias dominating; near 0
 * when it depends on content, as NoPE's must at the input). Keys a mask hides (score -Infinity) are not counted,
 * nor, for the offset R^2, a query's own key (offset 0): there query and key come from the same token, so even a
 * content-only score differs systematically at offset 0 (measured: a NoPE model trained on copy, 0.34 with it).
 */
public record AttentionStats(int layer, List<Head> heads) {

    /**
     * One head. meanMatrix (over all sequences) and firstMatrix (the first analysed sequence alone: one sequence's
     * attention, not blurred by the mean) are written as CSVs beside metrics.json, not into it.
     */
    public record Head(int head, double sinkRate, double entropy, double uniformEntropy, double[] entropyByPosition,
            double[] uniformEntropyByPosition, double offsetR2, String matrix, String firstSequence, @JsonIgnore double[][] meanMatrix,
            @JsonIgnore double[][] firstMatrix) {}

    /** Running sums over batches for one block. */
    public static final class Accumulator {
        private final int layer;
        private int heads, n, sequences;
        private double[][][] probs, first;
        private double[][] entropy, keys;
        private double[] sink, total, totalSq, totalCount;
        private double[][] diagSum, diagSq, diagCount;

        public Accumulator(int layer) {
            this.layer = layer;
        }

        /** One batch: probabilities and pre-softmax scores, each [sequences, heads, n, n]. */
        public void add(Tensor p, Tensor s) {
            int b = p.dim(0);
            if (probs == null) {
                heads = p.dim(1);
                n = p.dim(2);
                probs = new double[heads][n][n];
                first = new double[heads][n][n];
                for (int h = 0; h < heads; h++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) first[h][i][j] = p.data()[(h * n + i) * n + j];
                entropy = new double[heads][n];
                keys = new double[heads][n];
                sink = new double[heads];
                total = new double[heads];
                totalSq = new double[heads];
                totalCount = new double[heads];
                diagSum = new double[heads][n];
                diagSq = new double[heads][n];
                diagCount = new double[heads][n];
            }
            float[] pd = p.data(), sd = s.data();
            for (int q = 0; q < b; q++) {
                for (int h = 0; h < heads; h++) {
                    long base = ((long) q * heads + h) * n * n;
                    for (int i = 0; i < n; i++) {
                        double hi = 0;
                        int visible = 0;
                        for (int j = 0; j < n; j++) {
                            int k = (int) (base + (long) i * n + j);
                            double pij = pd[k], sij = sd[k];
                            probs[h][i][j] += pij;
                            if (pij > 0) hi -= pij * Math.log(pij);
                            if (Double.isFinite(sij)) visible++;
                            if (Double.isFinite(sij) && j != i) {
                                total[h] += sij;
                                totalSq[h] += sij * sij;
                                totalCount[h]++;
                                int d = Math.abs(i - j); // causal and windowed keys have j < i; bidirectional ones fold onto |i - j|
                                diagSum[h][d] += sij;
                                diagSq[h][d] += sij * sij;
                                diagCount[h][d]++;
                            }
                        }
                        entropy[h][i] += hi;
                        keys[h][i] += visible;
                        if (i >= 1) sink[h] += pd[(int) (base + (long) i * n)];
                    }
                }
            }
            sequences += b;
        }

        /** The statistics; file(head) names the CSV its mean matrix goes to (the first sequence's: the same name ending -first.csv). */
        public AttentionStats finish(java.util.function.IntFunction<String> file) {
            List<Head> out = new ArrayList<>();
            for (int h = 0; h < heads; h++) {
                double[][] mean = new double[n][n];
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) mean[i][j] = probs[h][i][j] / sequences;
                double[] e = new double[n], u = new double[n];
                double eSum = 0, uSum = 0;
                for (int i = 0; i < n; i++) {
                    e[i] = entropy[h][i] / sequences;
                    u[i] = Math.log(keys[h][i] / sequences);
                    eSum += e[i];
                    uSum += u[i];
                }
                double within = 0;
                for (int d = 0; d < n; d++) if (diagCount[h][d] > 0) within += diagSq[h][d] - diagSum[h][d] * diagSum[h][d] / diagCount[h][d];
                double all = totalSq[h] - total[h] * total[h] / totalCount[h];
                double r2 = all > 1e-12 * totalCount[h] ? Math.max(0, 1 - within / all) : 0;
                String name = file.apply(h);
                out.add(new Head(h, n > 1 ? sink[h] / sequences / (n - 1) : 0, eSum / n, uSum / n, e, u, r2, name, name.replaceFirst("\\.csv$", "-first.csv"),
                        mean, first[h]));
            }
            return new AttentionStats(layer, out);
        }
    }
}
