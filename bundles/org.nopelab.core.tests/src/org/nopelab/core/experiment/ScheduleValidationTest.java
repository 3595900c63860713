package org.nopelab.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.nopelab.core.model.AttentionMask;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.PositionalEncoding;

/** Position schemes and per-block schedules in experiment files: what is read, and what is refused where. */
class ScheduleValidationTest {
    private static ExperimentReader.Result read(String yaml) {
        return ExperimentReader.read("schema: nopelab/experiment/1\n" + yaml);
    }

    private static Problem only(ExperimentReader.Result r) {
        List<Problem> errors = r.problems().stream().filter(p -> p.severity() == Problem.Severity.error).toList();
        assertEquals(1, errors.size(), r.problems().toString());
        return errors.get(0);
    }

    @Test
    void aWrongLayerEntryIsNamedWithItsLineAndColumn() {
        Problem p = only(read("model:\n  layers: 4\n  layers_pe: [rope, none, learned, none]\n"));
        assertEquals(4, p.line(), p.toString());
        assertEquals(27, p.column(), p.toString());
        assertEquals("model.layers_pe.2", p.path());
        assertTrue(p.message().contains("none") && p.message().contains("rope") && p.message().contains("alibi"), p.message());
    }

    @Test
    void aPatternMustDivideTheLayers() {
        Problem p = only(read("model:\n  layers: 8\n  layers_attention: [sliding_window, sliding_window, causal]\n"));
        assertEquals("model.layers_attention", p.path());
        assertEquals(4, p.line());
        assertTrue(p.message().contains("3 entries for 8 blocks") && p.message().contains("1, 2, 4, 8"), p.message());
    }

    @Test
    void nopeEveryNeedsASchemeToInterleave() {
        Problem p = only(read("model:\n  layers: 8\n  pe: learned\n  nope_every: 4\n"));
        assertEquals("model.nope_every", p.path());
        assertTrue(p.message().contains("'learned'") && p.message().contains("pe: rope"), p.message());
        Problem both = only(read("model:\n  layers: 4\n  pe: rope\n  nope_every: 2\n  layers_pe: [rope, none]\n"));
        assertTrue(both.message().contains("either layers_pe or nope_every"), both.message());
    }

    @Test
    void aRopeThatRotatesNothingIsRefused() {
        Problem p = only(read("model:\n  d_model: 8\n  heads: 8\n  pe: rope\n  rope: {fraction: 0.5}\n"));
        assertEquals("model.rope.fraction", p.path());
        assertTrue(p.message().contains("head_dim 1"), p.message());
    }

    @Test
    void aWindowAsLongAsTheSequenceIsAWarning() {
        ExperimentReader.Result r = read("model:\n  attention: sliding_window\n  window: 40\ninput:\n  seq_len: 32\n");
        assertNotNull(r.experiment(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.severity() == Problem.Severity.warning && p.message().contains("as globally as causal")), r.problems().toString());
    }

    @Test
    void aSubjectsScheduleIsCheckedAtTheSubject() {
        Problem p = only(read("model:\n  layers: 6\nsubjects:\n  - {name: a}\n  - {name: b, pe: rope, layers_pe: [rope, rope, rope, none]}\n"));
        assertEquals("subjects.1.layers_pe", p.path());
        assertEquals(6, p.line());
        // the model's own fault is reported once, at the model, not again for each subject that inherits it
        ExperimentReader.Result r = read("model:\n  layers: 6\n  layers_attention: [causal, causal, causal, causal]\nsubjects:\n  - {name: a, pe: rope}\n");
        assertEquals("model.layers_attention", only(r).path());
    }

    @Test
    void subjectsOverrideTheScheduleAsAGroup() {
        ExperimentReader.Result r = read("model:\n  layers: 4\n  pe: rope\n  nope_every: 2\n  layers_attention: [sliding_window, causal]\n  window: 3\n"
                + "subjects:\n  - {name: hybrid}\n  - {name: plain, pe: alibi}\n  - {name: local, window: 5}\n");
        Experiment e = r.experiment();
        assertNotNull(e, r.problems().toString());
        ModelConfig hybrid = e.subjects().get(0).modelFor(e.model()), plain = e.subjects().get(1).modelFor(e.model()),
                local = e.subjects().get(2).modelFor(e.model());
        assertEquals("input none; blocks rope+sliding_window(3), none, rope+sliding_window(3), none", hybrid.schedule());
        assertEquals("input none; blocks alibi+sliding_window(3), alibi, alibi+sliding_window(3), alibi", plain.schedule(), "pe replaces nope_every, keeps the mask");
        assertEquals(PositionalEncoding.none, local.block(1).position());
        assertEquals(AttentionMask.causal, local.block(0).attention(), "window replaces layers_attention: every block uses attention (causal)");
    }

    /** A sweep over schemes and schedules: list values name their cells by their entries. */
    @Test
    void aSweepOverSchedulesNamesItsCells() {
        ExperimentReader.Result r = read("model: {layers: 4}\nsweep:\n  grid:\n    model.pe: [none, rope, alibi]\n"
                + "    model.layers_attention: [[causal], [sliding_window, causal]]\n");
        assertNotNull(r.experiment(), r.problems().toString());
        List<String> ids = r.experiment().sweep().cells().stream().map(Sweep.Cell::id).toList();
        assertEquals(List.of("00_pe=none_layers_attention=causal", "01_pe=none_layers_attention=sliding-window-causal", "02_pe=rope_layers_attention=causal",
                "03_pe=rope_layers_attention=sliding-window-causal", "04_pe=alibi_layers_attention=causal", "05_pe=alibi_layers_attention=sliding-window-causal"), ids);
        Problem bad = only(read("model: {layers: 4}\nsweep:\n  grid:\n    model.layers_pe: [[rope, none, none]]\n"));
        assertTrue(bad.message().contains("3 entries for 4 blocks"), bad.message());
    }

    /** Every example file reads without error, and the hybrids resolve to the schedules their names promise. */
    @Test
    void everyExampleReads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.list(Path.of("../../examples")), Files.list(Path.of("../../examples/paper")))) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 18, files.toString());
        for (Path f : files) {
            ExperimentReader.Result r = ExperimentReader.read(f);
            assertNotNull(r.experiment(), f + ": " + r.problems());
        }
        assertEquals("input none; blocks rope, rope, rope, none, rope, rope, rope, none", model("smollm3-like").schedule());
        assertEquals(model("smollm3-like").schedule(), model("llama4-like").schedule(), "at toy length Llama 4's chunked attention is global");
        assertEquals("input none; blocks rope+sliding_window(8), rope+sliding_window(8), rope+sliding_window(8), none, "
                + "rope+sliding_window(8), rope+sliding_window(8), rope+sliding_window(8), none", model("command-a-like").schedule());
        assertEquals("input none; blocks none, rope+sliding_window(8), none, rope+sliding_window(8), none, rope+sliding_window(8), none, rope+sliding_window(8)",
                model("swan-gpt-like").schedule());
    }

    private static ModelConfig model(String example) throws IOException {
        return ExperimentReader.read(Path.of("../../examples/" + example + ".yaml")).experiment().model();
    }
}
