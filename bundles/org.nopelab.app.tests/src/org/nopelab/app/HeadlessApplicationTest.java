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
        assertTrue(Files.isRegularFile(hidden.resolve("layer1.npy")));
        assertTrue(Files.isRegularFile(hidden.resolve("logits.npy")));
    }

    @Test
    void badArgumentsGetUsage() throws IOException {
        assertEquals(HeadlessApplication.BAD_INPUT, run("frobnicate"));
        assertTrue(errors().contains("unknown command 'frobnicate'") && errors().contains("usage: nopelab run"), errors());
        Path tokens = tmp.resolve("t.csv");
        Files.writeString(tokens, "1,2,3\n4,5\n");
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
        assertTrue(List.of("holds", "partly", "fails").contains(byId.get("1")), byId.toString());
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
    }
}
