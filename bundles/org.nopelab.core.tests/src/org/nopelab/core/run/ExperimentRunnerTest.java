package org.nopelab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.io.Json;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.probe.PositionProbe;

/** Paired subjects: random-init and trained from the same seed, side by side in one result folder. */
class ExperimentRunnerTest {
    @TempDir
    Path tmp;

    static final String PAIRED = """
            schema: nopelab/experiment/1
            name: paired
            task: {name: modp, p: 5}
            train: {steps: 200, batch_size: 32, lr: 0.003, warmup: 10, eval_interval: 50, eval_samples: 200, checkpoint_interval: 100}
            subjects:
              - {name: random}
              - {name: trained, trained: true}
              - {name: sinusoidal, pe: sinusoidal}
            model: {vocab_size: 8, d_model: 32, heads: 2, layers: 2, d_ff: 64}
            input: {distribution: uniform, seq_len: 12, samples: 40}
            analysis: {batch_size: 20}
            """;

    @Test
    void subjectsAreWrittenSideBySideWithDifferences() throws IOException {
        ExperimentReader.Result in = ExperimentReader.read(PAIRED);
        assertTrue(in.ok(), in.problems().toString());
        // what the checkpoint folder held while the trained subject was analysed (its training is over by then)
        java.util.List<String> checkpointsDuringRun = new java.util.ArrayList<>();
        RunMonitor watch = new RecordingMonitor(line -> {
            if (!line.equals("subject trained: analysing")) return;
            try (var dirs = Files.walk(tmp.resolve(".checkpoints"))) {
                dirs.filter(f -> f.getFileName().toString().endsWith(".safetensors")).forEach(f -> checkpointsDuringRun.add(tmp.relativize(f).toString()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path dir = ExperimentRunner.run(in.experiment(), in.resolved(), PAIRED, tmp, FigureRenderer.NONE, watch);
        for (String s : new String[] {"random", "trained", "sinusoidal"}) {
            assertTrue(Files.isRegularFile(dir.resolve("subjects/" + s + "/metrics.json")), s);
        }
        // provenance in the run's folder and in each subject's, with the threads actually applied
        for (Path p : new Path[] {dir, dir.resolve("subjects/random"), dir.resolve("subjects/trained"), dir.resolve("subjects/sinusoidal")}) {
            Provenance prov = Provenance.read(p);
            assertEquals(Provenance.sha256(in.resolved()), prov.experimentSha256(), p.toString());
            assertEquals(Provenance.currentSoftware(), prov.software());
            assertTrue(prov.engineThreads() >= 1, p.toString());
        }
        assertTrue(Provenance.read(dir).reusableFor(Provenance.sha256(in.resolved())));
        ResultSummary trained = ResultFolder.open(dir.resolve("subjects/trained")).summary();
        assertEquals("modp", trained.training().task());
        // 200 steps do not converge: the exact accuracy moves with float32 rounding (0.87-0.91 seen); chance is 0.2
        assertTrue(trained.training().tokenAccuracy() > 0.6, "held-out accuracy " + trained.training().tokenAccuracy());
        assertTrue(Files.isRegularFile(dir.resolve("subjects/trained/curves/training.csv")));
        assertNull(ResultFolder.open(dir.resolve("subjects/random")).summary().training());
        assertTrue(trained.states().get(1).probes().get(PositionProbe.Features.cosine).testTokens() > 0);

        JsonNode cmp = Json.MAPPER.readTree(dir.resolve("comparison.json").toFile());
        JsonNode random = cmp.at("/subjects/random"), sinus = cmp.at("/subjects/sinusoidal");
        assertEquals(3, random.size(), "layer0..layer2");
        double diff = cmp.at("/differences/sinusoidal - random").get(0).get("ap_nn").asDouble();
        assertEquals(sinus.get(0).get("ap_nn").asDouble() - random.get(0).get("ap_nn").asDouble(), diff, 1e-12);
        // sinusoidal PE puts position into the input layer itself; NoPE's input layer has none
        assertTrue(sinus.get(0).get("ap_nn").asDouble() > 2 * random.get(0).get("ap_nn_chance").asDouble(), cmp.toString());
        // 200 steps with a checkpoint every 100: step 100 and 200 were on disk while the subject was analysed ...
        String prefix = ".checkpoints/" + Provenance.sha256(in.resolved()).substring(0, 16) + "-trained/";
        assertEquals(java.util.List.of(prefix + "step-00000100.safetensors", prefix + "step-00000200.safetensors"),
                checkpointsDuringRun.stream().sorted().toList(), "training wrote its checkpoints");
        // ... and are removed once the result is complete
        try (var left = Files.list(tmp.resolve(".checkpoints"))) {
            assertEquals(java.util.List.of(), left.toList(), "checkpoints are removed once the result is complete");
        }
    }

    /** One trained model analysed on uniform tokens and on its task's inputs: trained once, analysed twice. */
    @Test
    void subjectsThatDifferOnlyInTheirInputsShareOneTraining() throws IOException {
        String text = """
                schema: nopelab/experiment/1
                name: two-inputs
                task: {name: add3, format: place_coded}
                train: {steps: 20, batch_size: 16, lr: 0.003, warmup: 5, eval_interval: 10, eval_samples: 64, checkpoint_interval: 10}
                subjects:
                  - {name: trained, trained: true}
                  - {name: trained-on-task, trained: true, distribution: task}
                  - {name: random-on-task, distribution: task}
                model: {vocab_size: 42, d_model: 16, heads: 2, layers: 1, d_ff: 32}
                input: {distribution: uniform, seq_len: 10, samples: 16}
                """;
        ExperimentReader.Result in = ExperimentReader.read(text);
        assertTrue(in.ok(), in.problems().toString());
        RecordingMonitor log = new RecordingMonitor();
        Path dir = ExperimentRunner.run(in.experiment(), in.resolved(), text, tmp, FigureRenderer.NONE, log);
        assertEquals(1, log.lines.stream().filter(l -> l.contains(": training on add3")).count(), log.lines.toString());
        assertTrue(log.lines.contains("subject trained-on-task: the weights subject trained trained (same model, task and training)"), log.lines.toString());
        ResultSummary uniform = ResultFolder.open(dir.resolve("subjects/trained")).summary();
        ResultSummary onTask = ResultFolder.open(dir.resolve("subjects/trained-on-task")).summary();
        assertEquals(10, uniform.positions());
        // analysed on the task's own inputs, whose length the task gives
        int taskPositions = org.nopelab.core.train.Task.of(in.experiment().task()).positions();
        assertEquals(taskPositions, onTask.positions());
        assertEquals(taskPositions, ResultFolder.open(dir.resolve("subjects/random-on-task")).summary().positions());
        assertEquals(uniform.training(), onTask.training(), "the same training, reported for both");
    }
}
