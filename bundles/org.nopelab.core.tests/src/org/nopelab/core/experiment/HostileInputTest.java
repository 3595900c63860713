package org.nopelab.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each class of file that a fuzz campaign found accepted although wrong, crashing, or hanging: rejected now,
 * each at the line and column of its cause, in well under a second.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    /** The one error of a file, which must be at line:col and say what. */
    private static void rejected(String yaml, int line, int column, String says) {
        ExperimentReader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ExperimentReader.read(yaml));
        assertFalse(r.ok(), yaml);
        List<Problem> errors = r.problems().stream().filter(p -> p.severity() == Problem.Severity.error).toList();
        assertTrue(errors.stream().anyMatch(p -> p.line() == line && p.column() == column && p.message().contains(says)),
                "expected " + line + ":" + column + " '" + says + "' in " + errors);
        assertTrue(errors.stream().noneMatch(p -> p.message().startsWith(ExperimentReader.INTERNAL)), errors.toString());
    }

    @Test
    void documentsAndIndentationThatWouldHideTheRestOfTheFile() {
        rejected("schema: nopelab/experiment/1\n---\nmodel: {heads: 0}\n", 3, 1, "one experiment per file");
        rejected("  schema: nopelab/experiment/1\nmodel: {heads: 0}\n", 2, 1, "not valid YAML");
    }

    @Test
    void numbersAreCheckedAsTheDoublesThatRun() {
        rejected("schema: nopelab/experiment/1\ntrain: {lr: 1e-400}\n", 2, 13, "underflows to 0");
        rejected("schema: nopelab/experiment/1\nmodel: {init: {std: 1e-400}}\n", 2, 21, "underflows to 0");
        rejected("schema: nopelab/experiment/1\ntrain: {lr: 1e400}\n", 2, 13, "too large for a double");
        // 0.99999999999999999999 < 1 as written, but it runs as 1.0, which beta1 may not be
        rejected("schema: nopelab/experiment/1\ntrain: {beta1: 0.99999999999999999999}\n", 2, 16, "1.0 is out of range");
        ExperimentReader.Result r = ExperimentReader.read("schema: nopelab/experiment/1\ntrain: {beta1: 0.99999999999999999999}\n");
        assertTrue(r.problems().stream().anyMatch(p -> p.severity() == Problem.Severity.warning && p.message().contains("it is read as 1.0")), r.problems().toString());
    }

    @Test
    void structuresOfTheWrongShape() {
        rejected("schema: nopelab/experiment/1\nsubjects: {name: a}\n", 2, 11, "subjects: expected a list");
        rejected("schema: nopelab/experiment/1\nsweep: {grid: {model.d_model: []}}\n", 2, 31, "needs at least 1 entry");
        rejected("schema: nopelab/experiment/1\nsweep: {grid: {model.d_model.: [32]}}\n", 2, 15, "name is not valid");
        rejected("schema: nopelab/experiment/1\nsweep: {grid: {model.init.std: [1, 1.0]}}\n", 2, 36, "lists 1.0 twice");
    }

    @Test
    void aliasesAreRefusedRatherThanReadAsTheAnchorsName() {
        // Jackson would hand "*s" over as the text "s": subjects.0.pe would then be none or an error far from the cause
        rejected("schema: nopelab/experiment/1\nmodel: {pe: &s sinusoidal}\nsubjects: [{name: a, pe: *s}]\n", 3, 26, "YAML aliases (*s) are not supported");
    }

    @Test
    void namesMustBeFolderNamesOfTheirOwn() {
        rejected("schema: nopelab/experiment/1\nsubjects: [{name: ..}]\n", 2, 19, "'..' is not a folder of its own");
        rejected("schema: nopelab/experiment/1\nsubjects: [{name: a}, {name: .}]\n", 2, 30, "'.' is not a folder of its own");
        rejected("schema: nopelab/experiment/1\nname: |\n  abc\n", 2, 7, "holds characters a folder name may not");
    }

    @Test
    void hugeSweepsAreRefusedBeforeTheyAreBuilt() {
        StringBuilder b = new StringBuilder("schema: nopelab/experiment/1\nsweep:\n  grid:\n");
        for (String k : List.of("model.init.std", "train.lr", "train.eps", "train.min_lr", "model.dropout")) {
            b.append("    ").append(k).append(": [");
            for (int i = 0; i < 32; i++) b.append(i == 0 ? "" : ", ").append(0.001 * (i + 1));
            b.append("]\n");
        }
        rejected(b.toString(), 3, 3, "33554432 runs; at most 4096 runs per sweep");
    }

    @Test
    void longSweepValuesGiveFolderNamesAFileSystemTakes() {
        String value = "0.0" + "1".repeat(300);
        ExperimentReader.Result r = ExperimentReader.read("schema: nopelab/experiment/1\nsweep: {grid: {model.init.std: [" + value + ", 0.02]}}\n");
        assertTrue(r.ok(), r.problems().toString());
        List<Sweep.Cell> cells = r.experiment().sweep().cells();
        assertTrue(cells.get(0).id().length() <= Sweep.MAX_ID, cells.get(0).id());
        assertEquals("01_std=0.02", cells.get(1).id(), "short ids stay as they were");
    }

    @Test
    void manyUnknownKeysTakeLinearTimeAndAreListedUpToALimit() {
        StringBuilder b = new StringBuilder("schema: nopelab/experiment/1\n");
        for (int i = 0; i < 20_000; i++) b.append('k').append(i).append(": 1\n");
        ExperimentReader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ExperimentReader.read(b.toString()));
        assertEquals(ExperimentReader.MAX_PROBLEMS + 1, r.problems().size());
        assertEquals("and 19800 more problems not listed", r.problems().get(ExperimentReader.MAX_PROBLEMS).message());
    }

    @Test
    void onlySmallRegularUtf8FilesAreRead() throws IOException {
        Path big = tmp.resolve("big.yaml");
        Files.write(big, new byte[(int) ExperimentReader.MAX_BYTES + 1]);
        assertTrue(ExperimentReader.read(big).problems().get(0).message().contains("an experiment file is at most 1024 KiB"));
        assertTrue(ExperimentReader.read(Path.of("/dev/zero")).problems().get(0).message().endsWith("not a regular file"));
        assertTrue(ExperimentReader.read(tmp).problems().get(0).message().endsWith("it is a folder"));
        Path binary = tmp.resolve("binary.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertTrue(ExperimentReader.read(binary).problems().get(0).message().endsWith("is not UTF-8 text (is it a binary file?)"));
        Path bom = tmp.resolve("bom.yaml");
        Files.writeString(bom, "\uFEFFschema: nopelab/experiment/1\n");
        assertTrue(ExperimentReader.read(bom).ok(), "one byte-order mark is accepted");
        Files.writeString(bom, "\uFEFF\uFEFFschema: nopelab/experiment/1\n");
        assertFalse(ExperimentReader.read(bom).ok(), "a second one is content, and rejected");
    }

    /** A run that would only fail after its whole analysis: too few sequences to hold any out for the probes. */
    @Test
    void tooFewSequencesForTheProbesAreRefusedUpFront() {
        rejected("schema: nopelab/experiment/1\ninput: {samples: 2}\n", 2, 18, "input.samples: 2 sequences are too few for the probes");
        org.junit.jupiter.api.Assertions.assertTrue(ExperimentReader.read("schema: nopelab/experiment/1\ninput: {samples: 2}\nanalysis: {probes: false}\n").ok());
        org.junit.jupiter.api.Assertions.assertTrue(ExperimentReader.read("schema: nopelab/experiment/1\ninput: {samples: 3}\n").ok());
        rejected("schema: nopelab/experiment/1\nsweep: {grid: {input.samples: [2, 8]}}\n", 2, 32, "sweep cell 00_samples=2: input.samples: 2 sequences are too few");
    }

    /** The rule behind each rejected-but-plausible class, as the user reads it. */
    @Test
    void tabsGetAPlainMessage() {
        rejected("schema:\tnopelab/experiment/1\n", 1, 7, "a tab character; YAML here separates with spaces only");
    }
}
