package org.nopelab.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.model.Activation;
import org.nopelab.core.model.InitScheme;
import org.nopelab.core.model.PositionalEncoding;

class ExperimentReaderTest {
    private static Problem only(String yaml) {
        ExperimentReader.Result r = ExperimentReader.read(yaml);
        assertNull(r.experiment(), "invalid file must not yield an experiment");
        assertEquals(1, r.problems().size(), r.problems().toString());
        return r.problems().get(0);
    }

    @Test
    void minimalFileGetsEveryDefault() {
        ExperimentReader.Result r = ExperimentReader.read("schema: nopelab/experiment/1\n");
        assertTrue(r.ok(), r.problems().toString());
        Experiment e = r.experiment();
        assertEquals(64, e.model().dModel());
        assertEquals(6, e.model().layers());
        assertEquals(Activation.gelu, e.model().activation());
        assertEquals(PositionalEncoding.none, e.model().pe());
        assertEquals(InitScheme.normal, e.model().init().scheme());
        assertEquals(0.02, e.model().init().std(), 0);
        assertEquals(32, e.input().seqLen());
        assertEquals(List.of(AdjacencyScore.values()), e.analysis().scores());
        assertEquals(1, r.resolved().at("/seed").asInt());
    }

    @Test
    void unknownKeySuggestsTheNearestValidKeyAtItsLine() {
        Problem p = only("schema: nopelab/experiment/1\nmodel:\n  d_model: 32\n  n_layers: 3\n");
        assertEquals(4, p.line());
        assertEquals(3, p.column());
        assertEquals("unknown key 'n_layers' in model; did you mean 'layers'?", p.message());
        assertEquals("layers", p.replacement(), "the quick fix");
    }

    @Test
    void outOfRangeNamesTheRange() {
        Problem p = only("schema: nopelab/experiment/1\nmodel:\n  heads: 0\n");
        assertEquals(3, p.line());
        assertEquals(10, p.column());
        assertEquals("model.heads: 0 is out of range; allowed 1 <= value <= 64", p.message());
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        Problem p = only("schema: nopelab/experiment/1\ninput:\n  seq_len: thirty\n");
        assertEquals(3, p.line());
        assertEquals("input.seq_len: expected a whole number, found text 'thirty'", p.message());
    }

    @Test
    void enumTypoListsChoicesAndSuggests() {
        Problem p = only("schema: nopelab/experiment/1\nmodel:\n  activation: gleu\n");
        assertEquals("model.activation: 'gleu' is not one of relu, gelu, gelu_tanh, silu; did you mean 'gelu'?", p.message());
        assertEquals("gelu", p.replacement());
    }

    @Test
    void everyProblemIsReportedInFileOrder() {
        ExperimentReader.Result r = ExperimentReader.read("""
                schema: nopelab/experiment/1
                model:
                  layers: -1
                  pe: rotary
                input:
                  samples: 0
                colour: red
                """);
        assertFalse(r.ok());
        assertEquals(List.of(3, 4, 6, 7), r.problems().stream().map(Problem::line).toList(), r.problems().toString());
    }

    @Test
    void crossFieldRulesPointAtTheField() {
        Problem p = only("schema: nopelab/experiment/1\nmodel:\n  d_model: 30\n  heads: 4\n");
        assertEquals(4, p.line());
        assertTrue(p.message().contains("not divisible by heads 4"), p.message());
    }

    @Test
    void crossFieldRulesRunBesideSchemaErrorsAndSkipInvalidFields() {
        ExperimentReader.Result r = ExperimentReader.read("schema: nopelab/experiment/1\nmodel:\n  d_model: 100\n  heads: 3\n  n_layer: 2\n");
        assertEquals(List.of(4, 5), r.problems().stream().map(Problem::line).toList(), r.problems().toString());
        assertEquals("unknown key 'n_layer' in model; did you mean 'layers'?", r.problems().get(1).message());
        // heads of the wrong type: one type error, no division by zero
        r = ExperimentReader.read("schema: nopelab/experiment/1\nmodel:\n  heads: four\n");
        assertEquals(1, r.problems().size(), r.problems().toString());
        r = ExperimentReader.read("schema: nopelab/experiment/1\nmodel: 3\n");
        assertEquals("model: expected a mapping of keys, found the whole number 3", r.problems().get(0).message());
    }

    @Test
    void yamlSyntaxErrorHasALocation() {
        Problem p = only("schema: nopelab/experiment/1\nmodel:\n  d_model: [32\n");
        assertTrue(p.line() >= 3, p.toString());
        assertTrue(p.message().startsWith("not valid YAML"), p.message());
    }

    @Test
    void missingSchemaLineIsExplained() {
        Problem p = only("model:\n  d_model: 32\n");
        assertTrue(p.message().contains("schema: nopelab/experiment/1"), p.message());
    }

    @Test
    void duplicateKeysAreReported() {
        Problem p = only("schema: nopelab/experiment/1\nseed: 1\nseed: 2\n");
        assertEquals(3, p.line());
        assertEquals("duplicate key 'seed'; the first one counts", p.message());
    }

    @Test
    void ignoredStdIsAWarningNotAnError() {
        ExperimentReader.Result r = ExperimentReader.read("schema: nopelab/experiment/1\nmodel:\n  init:\n    scheme: xavier\n    std: 0.5\n");
        assertTrue(r.ok());
        assertEquals(Problem.Severity.warning, r.problems().get(0).severity());
        assertEquals(5, r.problems().get(0).line());
    }
}
