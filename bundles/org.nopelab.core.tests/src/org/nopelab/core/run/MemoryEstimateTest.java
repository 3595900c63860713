package org.nopelab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nopelab.core.experiment.ExperimentReader;

/** The memory estimate: exact where it counts parameters, and it tells a run that fits from one far too large. */
class MemoryEstimateTest {
    static final MemoryEstimate.Limits FOUR_GB = new MemoryEstimate.Limits(4e9, 4e9, 24e9);

    static ExperimentReader.Result read(String yaml) {
        ExperimentReader.Result r = ExperimentReader.read(yaml);
        assertTrue(r.ok(), r.problems().toString());
        return r;
    }

    @Test
    void weightsAreCountedExactly() {
        // vocab 16, d 8, 1 layer, d_ff 4, pre-LN: embed 128; ln1, ln2 16 each; q,k,v,o 4 x 72; fc1 32 + 4, fc2 32 + 8; final_ln 16; unembed 144
        var r = read("schema: nopelab/experiment/1\nmodel: {vocab_size: 16, d_model: 8, heads: 2, layers: 1, d_ff: 4}\n");
        MemoryEstimate m = MemoryEstimate.of(r.experiment());
        double params = 128 + 16 + 16 + 4 * 72 + 36 + 40 + 16 + 144;
        assertEquals(4 * params, m.parts().get(0).bytes(), 0, m.parts().get(0).what());
        assertTrue(m.parts().get(0).what().startsWith("model weights (684 parameters x 1 subject)"), m.parts().get(0).what());
    }

    @Test
    void everyShippedExampleFitsAFourGigabyteProcessAndOversizeOnesDoNot() throws java.io.IOException {
        for (String base : org.nopelab.core.experiment.ExperimentFuzzTest.bases()) {
            var r = read(base);
            assertNull(MemoryEstimate.refusal(r.experiment(), r.resolved(), FOUR_GB), r.experiment().name());
        }
        var big = read("schema: nopelab/experiment/1\nmodel: {d_model: 4096, heads: 64, layers: 48, d_ff: 16384}\n");
        String why = MemoryEstimate.refusal(big.experiment(), big.resolved(), FOUR_GB);
        // 51.8 GB of it without attention statistics: 48 blocks x 64 heads x 64 sequences x 32^2 probabilities and scores add 1.6 GB
        assertTrue(why.startsWith("this run needs about 53.") && why.contains("the Java heap and the native memory and the machine's memory do not suffice"), why);
        var sweep = read("schema: nopelab/experiment/1\nsweep: {grid: {input.seq_len: [32, 4096]}}\n");
        why = MemoryEstimate.refusal(sweep.experiment(), sweep.resolved(), FOUR_GB);
        assertTrue(why.startsWith("sweep cell 1_seq_len=4096: ") || why.startsWith("sweep cell 01_seq_len=4096: "), why);
    }
}
