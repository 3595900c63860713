package org.nopelab.core.internal.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nopelab.core.engine.Adam;
import org.nopelab.nd4j.Nd4jContext;

/**
 * The vectorised Adam kernel against the engine-independent Adam.update, bit for bit (tolerance 0): the same double
 * operations in the same order, on sizes with and without a vector tail, one and two threads, Adam and AdamW, three
 * steps so the bias corrections and the moments' history enter.
 */
class AdamKernelTest {
    @ParameterizedTest(name = "n={0} decoupled={1} wd={2} threads={3}")
    @CsvSource({"1,true,0.01,1", "13,true,0.01,1", "13,false,0.01,1", "100003,true,0.01,2", "100003,false,0.1,2", "37,true,0,1", "70001,false,0,2"})
    void theKernelIsAdamUpdateBitForBit(int n, boolean decoupled, double wd, int threads) {
        Nd4jContext.run(() -> {
            SplittableRandom r = new SplittableRandom(n);
            float[] p = new float[n], m = new float[n], v = new float[n];
            for (int i = 0; i < n; i++) p[i] = (float) r.nextGaussian();
            Adam.Settings s = new Adam.Settings(decoupled, 0.9, 0.98, 1e-8, wd, 1.0);
            Adam plain = new Adam(s, 0), fused = new Adam(s, 0);
            INDArray fp = Writes.floats(p.clone(), n), fm = Writes.floats(m.clone(), n), fv = Writes.floats(v.clone(), n);
            for (int step = 0; step < 3; step++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) g[i] = (float) (r.nextGaussian() * (i % 7 == 0 ? 1e-6 : 1));
                double lr = 1e-3 * (step + 1), scale = step == 1 ? 0.37 : 1;
                plain.next();
                fused.next();
                plain.update(Adam.Values.of(p), Adam.Values.of(m), Adam.Values.of(v), Adam.Values.of(g), lr, scale);
                FusedKernels.adam(fused, fp, fm, fv, Writes.floats(g, n), lr, scale, threads);
            }
            float[] kp = Reads.floats(fp), km = Reads.floats(fm), kv = Reads.floats(fv);
            for (int i = 0; i < n; i++) {
                assertEquals(p[i], kp[i], 0f, "p[" + i + "]");
                assertEquals(m[i], km[i], 0f, "m[" + i + "]");
                assertEquals(v[i], kv[i], 0f, "v[" + i + "]");
            }
        });
    }
}
