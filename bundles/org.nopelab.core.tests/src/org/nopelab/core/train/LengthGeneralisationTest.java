package org.nopelab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.ModelWeights;
import org.nopelab.core.model.WeightInit;
import org.nopelab.core.monitor.RunMonitor;

/** Length generalisation: evaluation at k x the trained length, and what the reader refuses. */
class LengthGeneralisationTest {
    static final TrainConfig TRAIN = new TrainConfig(300, 32, 3e-3, 0.9, 0.98, 1e-8, 0.01, "adamw", 30, "cosine", 1e-5, 1.0, 100, 256, 300, List.of(1, 2, 4));

    @Test
    void aTrainedCopyModelIsEvaluatedAtEachFactor() throws Exception {
        ModelConfig m = TrainerTest.MODEL;
        TaskConfig copy = new TaskConfig("copy", 0, 8);
        Trainer.Outcome out = Trainer.train(m, WeightInit.initialise(m, 1), Task.of(copy), TRAIN, 7, null, "h", RunMonitor.NONE);
        List<LengthGeneralisation.Point> points = LengthGeneralisation.measure(m, out.weights(), copy, TRAIN, 7);
        assertEquals(List.of(1, 2, 4), points.stream().map(LengthGeneralisation.Point::factor).toList());
        assertEquals(List.of(8, 16, 32), points.stream().map(LengthGeneralisation.Point::length).toList());
        // factor 1 is the training length: the same held-out evaluation as training's own, on another draw of it
        assertEquals(out.evaluation().token(), points.get(0).tokenAccuracy(), 0.05, "factor 1 agrees with the training evaluation");
        assertTrue(out.evaluation().token() > 0.9, "the copy model learned: " + out.evaluation().token());
        for (LengthGeneralisation.Point p : points) {
            assertTrue(p.heldOut() && p.tokenAccuracy() >= 0 && p.tokenAccuracy() <= 1, p.toString());
            // the last layer's adjacency at that length, against ap_nn's chance for its positions (a copy input is length - 1 long)
            assertTrue(p.apNN() >= 0 && p.apNN() <= 1, p.toString());
            assertEquals(org.nopelab.core.metrics.AdjacencyScore.ap_nn.chance(Task.of(new TaskConfig("copy", 0, p.length())).positions()), p.apNNChance(), 1e-12);
        }
        assertTrue(LengthGeneralisation.describe(points).startsWith("x1 (length 8) "), LengthGeneralisation.describe(points));
        ModelWeights none = WeightInit.initialise(m, 1);
        assertEquals(List.of(), LengthGeneralisation.measure(m, none, new TaskConfig("add3", 0, 0), TRAIN, 7), "add3 has no length");
    }

    @Test
    void theReaderRefusesWhatCannotBeStretched() {
        Problem add3 = error("task: {name: add3}\nmodel: {vocab_size: 16}\ntrain: {length_factors: [1, 2]}\nsubjects: [{name: t, trained: true}]\n");
        assertEquals("train.length_factors", add3.path());
        assertTrue(add3.message().contains("add3 has no length to stretch"), add3.message());
        Problem learned = error("task: {name: copy, length: 16}\ntrain: {length_factors: [1, 4]}\nmodel: {max_len: 32}\n"
                + "subjects: [{name: t, trained: true, pe: learned}]\n");
        assertTrue(learned.message().contains("64 positions but model.max_len 32"), learned.message());
    }

    private static Problem error(String yaml) {
        ExperimentReader.Result r = ExperimentReader.read("schema: nopelab/experiment/1\n" + yaml);
        return r.problems().stream().filter(p -> p.severity() == Problem.Severity.error).findFirst().orElseThrow(() -> new AssertionError(r.problems().toString()));
    }
}
