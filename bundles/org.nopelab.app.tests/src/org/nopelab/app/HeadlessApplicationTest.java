package org.nopelab.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The commands of ./nopelab as the launcher runs them: exit codes, messages, files written. */
class HeadlessApplicationTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new HeadlessApplication(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void invalidFileIsReportedAndNothingRuns() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "schema: nopelab/experiment/1\nmodel:\n  heads: 0\n  colour: red\n");
        assertEquals(HeadlessApplication.BAD_INPUT, run("run", bad.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(errors().contains(bad + ":3:10: error: model.heads: 0 is out of range; allowed 1 <= value <= 64"), errors());
        assertTrue(errors().contains(bad + ":4:3: error: unknown key 'colour' in model"), errors());
        assertTrue(errors().contains("2 errors; nothing was run"), errors());
        assertTrue(Files.notExists(tmp.resolve("out")), "no result folder for an invalid file");
        assertEquals(HeadlessApplication.BAD_INPUT, run("validate", bad.toString()));
    }

    @Test
    void runWritesAResultFolderWithFiguresAndHiddenStatesReproduceIt() throws IOException {
        Path exp = tmp.resolve("tiny.yaml");
        Files.writeString(exp, "schema: nopelab/experiment/1\nname: tiny\nmodel: {d_model: 16, layers: 1, d_ff: 32, heads: 2}\ninput: {seq_len: 8, samples: 12}\n");
        assertEquals(HeadlessApplication.OK, run("run", exp.toString(), "--out", tmp.resolve("out").toString()), errors());
        Path dir;
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            List<Path> dirs = s.toList();
            assertEquals(1, dirs.size(), dirs.toString());
            dir = dirs.get(0);
        }
        byte[] png = Files.readAllBytes(dir.resolve("figures/layer1.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertTrue(Files.isRegularFile(dir.resolve("figures/scores.png")));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("layer1 ") && printed.contains("result folder: "), printed);

        Path hidden = tmp.resolve("hidden");
        assertEquals(HeadlessApplication.OK, run("hidden-states", "--model", dir.resolve("model.safetensors").toString(),
                "--tokens", dir.resolve("tokens.csv").toString(), "--out", hidden.toString(), "--format", "npy"), errors());
        // the written states reproduce the run: their mean self-similarity is the run's matrix of that layer
        org.nopelab.core.model.Tensor layer1 = org.nopelab.core.io.Npy.read(hidden.resolve("layer1.npy"));
        assertArrayEquals(new long[] {12, 8, 16}, layer1.shape(), "[sequences, positions, d_model]");
        double[][][] perSequence = org.nopelab.core.metrics.SelfSimilarity.perSequence(layer1, org.nopelab.core.metrics.SimilarityKind.cosine);
        var result = org.nopelab.core.run.ResultFolder.open(dir);
        double[][] stored = result.matrix(result.summary().states().get(1));
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double mean = 0;
                for (double[][] m : perSequence) mean += m[i][j] / perSequence.length;
                assertEquals(stored[i][j], mean, 1e-5, "layer1 similarity (" + i + ", " + j + ")");
            }
        }
        assertArrayEquals(new long[] {12, 8, 16}, org.nopelab.core.io.Npy.read(hidden.resolve("logits.npy")).shape(), "logits over the vocabulary of 16");
        // --attention adds each block's attention: causal rows that sum to 1 over the keys up to the query
        Path withAttention = tmp.resolve("hidden-attention.safetensors");
        assertEquals(HeadlessApplication.OK, run("hidden-states", "--model", dir.resolve("model.safetensors").toString(),
                "--tokens", dir.resolve("tokens.csv").toString(), "--out", withAttention.toString(), "--attention"), errors());
        var attention = org.nopelab.core.io.Safetensors.read(withAttention).tensors();
        org.nopelab.core.model.Tensor probs = attention.get("layer1.attn.probs");
        assertTrue(attention.containsKey("layer1.attn.scores") && attention.containsKey("layer1"), attention.keySet().toString());
        int heads = (int) probs.shape()[1];
        assertArrayEquals(new long[] {12, heads, 8, 8}, probs.shape(), "[sequences, heads, queries, keys]");
        for (int q = 0; q < 8; q++) {
            double sum = 0;
            for (int k = 0; k < 8; k++) sum += probs.data()[q * 8 + k];
            assertEquals(1, sum, 1e-5, "query " + q + " of sequence 0, head 0");
            if (q < 7) assertEquals(0f, probs.data()[q * 8 + q + 1], "no weight on a later key");
        }

        // a ragged tokens file is refused with the sequence that is off, before anything is computed
        Path ragged = tmp.resolve("ragged.csv");
        Files.writeString(ragged, "1,2,3\n4,5\n");
        assertEquals(HeadlessApplication.BAD_INPUT, run("hidden-states", "--model", dir.resolve("model.safetensors").toString(),
                "--tokens", ragged.toString(), "--out", tmp.resolve("h.safetensors").toString()));
        assertTrue(errors().contains(ragged + ": sequence 2 has 2 tokens, the first has 3"), errors());
        assertTrue(Files.notExists(tmp.resolve("h.safetensors")));
    }

    /** A finished sweep exits 0 and says where its summary is (schedulers read the exit code). */
    @Test
    void finishedSweepExitsZeroAndNamesItsSummary() throws IOException {
        Path exp = tmp.resolve("one-cell.yaml");
        Files.writeString(exp, "schema: nopelab/experiment/1\nname: one-cell\nmodel: {d_model: 16, layers: 1, d_ff: 32, heads: 2}\n"
                + "input: {seq_len: 8, samples: 12}\nanalysis: {figures: false, probes: false}\nsweep: {grid: {model.residual: [true]}}\n");
        assertEquals(HeadlessApplication.OK, run("run", exp.toString(), "--out", tmp.resolve("out").toString()), errors());
        Path sweep;
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            sweep = s.filter(p -> p.getFileName().toString().startsWith("one-cell-sweep-")).findFirst().orElseThrow();
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("sweep finished: 1 of 1 runs; summary: " + sweep.toAbsolutePath().resolve("sweep.json")), printed);
        assertEquals("", errors());
    }

    /** An unexpected error is a failure (exit 1) in one line naming the log that holds its stack trace. */
    @Test
    void unexpectedErrorsExitOneWithTheirStackInALog() throws IOException {
        System.setProperty("nopelab.logs", tmp.resolve("logs").toString());
        try {
            int code = Failures.report(new IllegalStateException("wrapper", new NullPointerException("weights is null")), new String[] {"run", "x.yaml"},
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(HeadlessApplication.FAILED, code);
            List<String> lines = errors().lines().toList();
            assertEquals(1, lines.size(), errors());
            assertTrue(lines.get(0).startsWith("nopelab: run failed: IllegalStateException: wrapper (stack trace in " + tmp.resolve("logs")), lines.get(0));
            Path log;
            try (Stream<Path> s = Files.list(tmp.resolve("logs"))) {
                log = s.findFirst().orElseThrow();
            }
            String trace = Files.readString(log);
            assertTrue(trace.contains("nopelab run x.yaml") && trace.contains("Caused by: java.lang.NullPointerException: weights is null"), trace);
            err.reset();
            assertEquals(HeadlessApplication.FAILED, Failures.report(new OutOfMemoryError("Java heap space"), new String[] {"run"}, new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertTrue(errors().contains("run failed: ran out of memory (Java heap space, heap ") && errors().contains("raise NOPELAB_XMX"), errors());
        } finally {
            System.clearProperty("nopelab.logs");
        }
    }

    @Test
    void badArgumentsGetUsage() throws IOException {
        assertEquals(HeadlessApplication.BAD_INPUT, run("frobnicate"));
        assertTrue(errors().contains("unknown command 'frobnicate'") && errors().contains("usage: nopelab run"), errors());
        Path tokens = tmp.resolve("t.csv");
        Files.writeString(tokens, "1,2,3\n");
        assertEquals(HeadlessApplication.BAD_INPUT, run("hidden-states", "--model", tmp.resolve("missing.safetensors").toString(),
                "--tokens", tokens.toString(), "--out", tmp.resolve("h.safetensors").toString()));
        assertTrue(errors().contains("missing.safetensors"), errors());
    }

    /**
     * reproduce on a folder with two of the paper's experiments (shrunk): the report has a verdict with numbers for
     * the claims those experiments check, says "not run" for the others, and a second call reuses the finished runs.
     */
    @Test
    void reproduceWritesAReportWithVerdictsAndReusesFinishedRuns() throws IOException {
        Path examples = Files.createDirectories(tmp.resolve("paper"));
        String model = "model: {vocab_size: 32, d_model: 64, heads: 2, layers: 2, d_ff: 64}\ninput: {seq_len: 16, samples: 48}\n";
        Files.writeString(examples.resolve("1-input-vs-layers.yaml"), "# claim 1, tiny\nschema: nopelab/experiment/1\nname: c1\n" + model);
        Files.writeString(examples.resolve("6-bidirectional-control.yaml"), "schema: nopelab/experiment/1\nname: c6\n"
                + model.replace("d_ff: 64}", "d_ff: 64, attention: bidirectional}"));
        Path out = tmp.resolve("out");
        assertEquals(HeadlessApplication.OK, run("reproduce", "--quick", "--examples", examples.toString(), "--out", out.toString()), errors());
        Path report;
        try (Stream<Path> s = Files.list(out.resolve("reproduction-quick"))) {
            report = s.filter(p -> p.getFileName().toString().startsWith("report-")).findFirst().orElseThrow();
        }
        var verdicts = org.nopelab.core.io.Json.MAPPER.readTree(report.resolve("verdicts.json").toFile());
        assertEquals("quick", verdicts.get("mode").asText());
        var byId = new java.util.HashMap<String, String>();
        verdicts.get("verdicts").forEach(v -> byId.put(v.get("id").asText(), v.get("status").asText()));
        assertEquals("not_run", byId.get("2"));
        // a 2-layer d_model 64 model on 16 positions: layer0 at chance (0.130 vs 0.129), layers 1-2 above it (0.21-0.24)
        // but under 2x chance, so the input half of claim 1 holds and the "pattern" half does not: partly
        assertEquals("partly", byId.get("1"), byId.toString());
        String claim1 = "";
        for (var v : verdicts.get("verdicts")) if (v.get("id").asText().equals("1")) claim1 = v.get("summary").asText();
        assertTrue(claim1.startsWith("layer0 ap_nn 0.130 (chance 0.129); layers 1-2 0.2"), claim1);
        assertEquals("holds", byId.get("6"), "bidirectional attention without PE is permutation equivariant");
        assertEquals("holds", byId.get("7"), "theory checks in their exact regimes");
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains("claim 1, tiny"), "the file's own comment is shown as the choices that are ours");
        assertTrue(Files.isRegularFile(report.resolve("figures/claim1-ap-by-layer.svg")));
        List<String> numbers = Files.readAllLines(report.resolve("numbers.csv"));
        assertTrue(numbers.stream().anyMatch(l -> l.startsWith("6,\"ap_nn layer2\",")), numbers.toString());

        this.out.reset();
        assertEquals(HeadlessApplication.OK, run("reproduce", "--quick", "--examples", examples.toString(), "--out", out.toString()), errors());
        assertTrue(this.out.toString(StandardCharsets.UTF_8).contains("1-input-vs-layers: finished before, reused"), this.out.toString(StandardCharsets.UTF_8));

        // a finished run of the same experiment but from another build is not reused: it runs again
        Path c1;
        try (Stream<Path> s = Files.list(out.resolve("reproduction-quick/runs"))) {
            c1 = s.filter(p -> p.getFileName().toString().startsWith("c1-quick-")).findFirst().orElseThrow();
        }
        Path provenance = c1.resolve("provenance.json");
        Files.writeString(provenance, Files.readString(provenance).replaceFirst("\"nopelab_version\" : \"[^\"]+\"", "\"nopelab_version\" : \"0.0.1.old\""));
        this.out.reset();
        assertEquals(HeadlessApplication.OK, run("reproduce", "--quick", "--examples", examples.toString(), "--out", out.toString()), errors());
        String log = this.out.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("was computed by NoPE Lab 0.0.1.old") && log.contains("running it again"), log);
        assertTrue(!log.contains("1-input-vs-layers: finished before, reused"), log);
    }
}
