package org.nopelab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.probe.PositionProbe;

/**
 * Golden numbers of the default experiment (examples/random-init-nope.yaml: 256 sequences x 30 positions,
 * d_model 256, 6 layers), as its metrics.json reports them, so an engine or metric change that moves them fails.
 * Pinned from the run of 2026-12-01 (ND4J engine, float32, OpenBLAS). Tolerances: ap_nn and ap_order are means
 * over 256 x 29 decisions, so one flipped nearest neighbour moves ap_nn by 1.3e-4; 0.002 allows the ~15 flips that
 * another BLAS kernel's float32 summation order can cause, while a real change of the engine moves them by more.
 * Probe R^2 gets 0.005 (least squares on float32 features).
 */
class DefaultExperimentGoldenTest {
    static final double[] AP_NN = {0.06517, 0.41965, 0.44309, 0.45050, 0.45339, 0.45494, 0.44949};
    static final double[] AP_ORDER = {0.49909, 0.80631, 0.82659, 0.83328, 0.83837, 0.84008, 0.84210};
    static final double[] PROBE_COSINE_R2 = {0.01572, 0.58074, 0.53371, 0.54517, 0.53922, 0.55095, 0.54954};
    static final double[] PROBE_VARIANCE_R2 = {-0.0009, 0.22956, 0.21259, 0.19402, 0.14124, 0.12785, 0.12557};

    @Test
    void defaultExperimentKeepsItsHeadlineNumbers() throws IOException {
        ExperimentReader.Result in = ExperimentReader.read(Path.of("../../examples/random-init-nope.yaml")); // tycho-surefire runs in the bundle folder
        assertTrue(in.ok(), in.problems().toString());
        AnalysisResult r = Analysis.run(in.experiment(), RunMonitor.NONE);
        ResultSummary m = ResultWriter.summary(r); // what metrics.json holds
        assertEquals(256, m.samples());
        assertEquals(30, m.positions());
        List<StateMetrics> states = m.states();
        assertEquals(7, states.size(), "layer0..layer6");
        for (int l = 0; l < states.size(); l++) {
            StateMetrics s = states.get(l);
            assertEquals("layer" + l, s.name());
            assertEquals(AP_NN[l], s.scores().get(AdjacencyScore.ap_nn).perSequence().mean(), 0.002, s.name() + " ap_nn");
            assertEquals(AP_ORDER[l], s.scores().get(AdjacencyScore.ap_order).perSequence().mean(), 0.002, s.name() + " ap_order");
            assertEquals(PROBE_COSINE_R2[l], s.probes().get(PositionProbe.Features.cosine).r2(), 0.005, s.name() + " cosine probe R^2");
            assertEquals(PROBE_VARIANCE_R2[l], s.probes().get(PositionProbe.Features.variance).r2(), 0.005, s.name() + " variance probe R^2");
        }
        // positions 1..29 have 2 adjacent candidates among 29 (the last has 1): (28 x 2/29 + 1/29) / 29 = 57/841
        assertEquals(57.0 / 841, states.get(1).scores().get(AdjacencyScore.ap_nn).chance(), 1e-15, "chance of ap_nn at 30 positions");
    }
}
