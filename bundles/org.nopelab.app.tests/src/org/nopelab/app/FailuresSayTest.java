package org.nopelab.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure says so: the exit code of each command on bad input, oversize requests, corrupt files, stale folders. */
class FailuresSayTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new HeadlessApplication(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path file(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    static final String TINY = "schema: nopelab/experiment/1\nname: tiny\nmodel: {d_model: 16, layers: 1, d_ff: 32, heads: 2}\ninput: {seq_len: 8, samples: 6}\n"
            + "analysis: {figures: false, probes: false}\n";

    @Test
    void everyCommandsExitCode() throws IOException {
        assertEquals(HeadlessApplication.OK, run("schema"));
        assertEquals(HeadlessApplication.OK, run("help"));
        assertEquals(HeadlessApplication.BAD_INPUT, run());
        assertEquals(HeadlessApplication.BAD_INPUT, run("run", "--frobnicate", "x"));
        assertTrue(errors().contains("unknown option --frobnicate"), errors());
        assertEquals(HeadlessApplication.BAD_INPUT, run("bench"));
        assertEquals(HeadlessApplication.BAD_INPUT, run("reproduce", "--examples", tmp.resolve("none").toString()));
        Path tiny = file("tiny.yaml", TINY), bad = file("bad.yaml", "schema: nopelab/experiment/1\nmodel: {heads: 0}\n");
        // validate checks every file, whatever the one before it did, and exits 2 if any is bad
        assertEquals(HeadlessApplication.BAD_INPUT, run("validate", tiny.toString(), bad.toString(), tiny.toString()));
        assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.equals(tiny + ": valid")).count(), out.toString(StandardCharsets.UTF_8));
        assertTrue(errors().contains(bad + ":2:16: error: model.heads: 0 is out of range"), errors());
        assertEquals(HeadlessApplication.OK, run("validate", tiny.toString()));
    }

    /** The output location is checked before any work, with what is wrong with it. */
    @Test
    void badOutputLocationsAreRefusedBeforeTheRun() throws IOException {
        Path tiny = file("tiny.yaml", TINY), aFile = file("a-file", "x");
        assertEquals(HeadlessApplication.BAD_INPUT, run("run", tiny.toString(), "--out", ""));
        assertTrue(errors().contains("--out is empty"), errors());
        assertEquals(HeadlessApplication.BAD_INPUT, run("run", tiny.toString(), "--out", aFile.toString()));
        assertTrue(errors().contains("--out " + aFile + " is a file, not a folder"), errors());
        assertEquals(HeadlessApplication.BAD_INPUT, run("run", tiny.toString(), "--out", "/proc/nopelab"));
        assertTrue(errors().contains("is inside /proc, a system folder"), errors());
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing ran");
    }

    /** An experiment far beyond this process's memory is refused up front with the estimate and the setting to lower. */
    @Test
    void oversizeRequestsAreRefusedWithTheirEstimate() throws IOException {
        Path big = file("big.yaml", "schema: nopelab/experiment/1\nmodel: {d_model: 4096, heads: 64, layers: 48, d_ff: 16384}\n");
        assertEquals(HeadlessApplication.BAD_INPUT, run("run", big.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(errors().contains(big + ":1:1: error: this run needs about ") && errors().contains("model weights (9.7G parameters x 1 subject) 38.7 GB (lower model.d_model"), errors());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing was started");
        Path longSeq = file("long.yaml", "schema: nopelab/experiment/1\ninput: {seq_len: 4096, samples: 64}\n");
        assertEquals(HeadlessApplication.BAD_INPUT, run("validate", longSeq.toString()));
        assertTrue(errors().contains("one forward pass of 64 sequences") && errors().contains("lower analysis.batch_size or input.seq_len"), errors());
    }

    /** hidden-states on damaged inputs: a precise message naming what is wrong, exit 2, no stack trace. */
    @Test
    void corruptModelAndTokenFilesAreNamed() throws IOException {
        Path dir = tmp.resolve("out");
        assertEquals(HeadlessApplication.OK, run("run", file("tiny.yaml", TINY).toString(), "--out", dir.toString()), errors());
        Path result;
        try (Stream<Path> s = Files.list(dir)) {
            result = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
        }
        Path model = result.resolve("model.safetensors"), tokens = result.resolve("tokens.csv"), h = tmp.resolve("h.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = tmp.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertEquals(HeadlessApplication.BAD_INPUT, run("hidden-states", "--model", truncated.toString(), "--tokens", tokens.toString(), "--out", h.toString()));
        assertTrue(errors().contains("of the data, which has only") && errors().contains("truncated file?"), errors());

        org.nopelab.core.io.ModelFile.Loaded loaded = org.nopelab.core.io.ModelFile.load(model);
        loaded.weights().get("blocks.0.attn.v.weight").data()[3] = Float.NaN;
        Path nan = tmp.resolve("nan.safetensors");
        org.nopelab.core.io.ModelFile.save(nan, loaded.config(), loaded.weights());
        assertEquals(HeadlessApplication.BAD_INPUT, run("hidden-states", "--model", nan.toString(), "--tokens", tokens.toString(), "--out", h.toString()));
        assertTrue(errors().contains("tensor 'blocks.0.attn.v.weight' holds 1 NaN or infinite value"), errors());

        Path binary = tmp.resolve("binary.csv");
        Files.write(binary, new byte[] {0, 1, (byte) 0xff, 44, 10, 7});
        assertEquals(HeadlessApplication.BAD_INPUT, run("hidden-states", "--model", model.toString(), "--tokens", binary.toString(), "--out", h.toString()));
        assertTrue(errors().contains(binary + ": row 1, column 1:") && errors().contains("is not a token id"), errors());
        Path garbage = tmp.resolve("garbage.npy");
        Files.write(garbage, "not numpy at all".getBytes(StandardCharsets.UTF_8));
        assertEquals(HeadlessApplication.BAD_INPUT, run("hidden-states", "--model", model.toString(), "--tokens", garbage.toString(), "--out", h.toString()));
        assertTrue(errors().contains(garbage + " is not a .npy array of token ids"), errors());
        assertFalse(errors().contains("\tat "), "no stack trace: " + errors());
        assertFalse(Files.exists(h));
    }

    /** A run killed while writing leaves its staging folder; the next run of the experiment removes it and says so. */
    @Test
    void staleStagingFoldersAreRemovedAndIdenticalRunsGiveIdenticalModelFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        long dead = ProcessHandle.current().pid() + 100_000; // no such process
        Path killed = Files.createDirectories(dir.resolve(".tiny-20260101-000000." + dead + ".partial/matrices"));
        Path older = Files.createDirectories(dir.resolve(".tiny-20250101-000000.partial"));
        Path mine = Files.createDirectories(dir.resolve(".tiny-20260101-000001." + ProcessHandle.current().pid() + ".partial"));
        Path tiny = file("tiny.yaml", TINY);
        assertEquals(HeadlessApplication.OK, run("run", tiny.toString(), "--out", dir.toString()), errors());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("removed " + killed.getParent() + ", left by a run that was killed while writing"), printed);
        assertFalse(Files.exists(killed.getParent()) || Files.exists(older), "stale folders of dead processes are gone");
        assertTrue(Files.exists(mine), "a staging folder of a live process is left alone");
        Files.delete(mine);
        assertEquals(HeadlessApplication.OK, run("run", tiny.toString(), "--out", dir.toString()), errors());
        List<Path> results;
        try (Stream<Path> s = Files.list(dir)) {
            results = s.filter(p -> p.getFileName().toString().startsWith("tiny-")).sorted().toList();
        }
        assertEquals(2, results.size(), results.toString());
        assertArrayEquals(Files.readAllBytes(results.get(0).resolve("model.safetensors")), Files.readAllBytes(results.get(1).resolve("model.safetensors")),
                "the same run writes the same bytes");
    }
}
