package org.nopelab.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.nopelab.core.io.Json;

/**
 * A seeded mutation fuzzer over the examples: every mutated file must be either rejected with at least one error at
 * a real line and column of the file, or accepted and genuinely valid (its resolved tree reads back as the same
 * experiment, every name is a plain folder name, every sweep cell is a valid experiment with a short folder
 * name), and never take more than a few seconds or end in an internal error.
 */
public class ExperimentFuzzTest {
    static final int MUTATIONS = 600;
    static final long SEED = 20261201;
    static final long SLOWEST_MILLIS = 3_000;

    /** Values that broke earlier releases, put where a value stands. */
    static final String[] HOSTILE = {"0", "-1", "1e-400", "1e400", "0.99999999999999999999", "4097", "9223372036854775808", "''", "abc",
            "[]", "{}", "..", ".", "|\n  x", "*a", "&a 3", "null", "~", "true", "1.0", "[1, 1.0]", "0x10", ".inf", "-.inf", ".nan", "'" + "9".repeat(400) + "'",
            "\"\\t\"", "!!binary AAAA", "[[1]]", "{a: {b: {c: 1}}}", "1_000"};
    /** Characters that mean something to YAML. */
    static final String SIGNIFICANT = ":-[]{},#&*!|>'\"%@` \t\n.0123456789e";

    @Test
    void mutatedExamplesAreRejectedWithAPositionOrGenuinelyValid() throws IOException {
        List<String> bases = bases();
        Random random = new Random(SEED);
        int rejected = 0, accepted = 0;
        long slowest = 0;
        List<String> failures = new ArrayList<>();
        for (int k = 0; k < MUTATIONS; k++) {
            String base = bases.get(random.nextInt(bases.size()));
            String text = mutate(base, random);
            long t0 = System.nanoTime();
            ExperimentReader.Result r = ExperimentReader.read(text);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            slowest = Math.max(slowest, millis);
            String why = r.ok() ? notGenuinelyValid(r) : badRejection(r, text);
            if (millis > SLOWEST_MILLIS) why = "took " + millis + " ms";
            if (why != null) failures.add("mutation " + k + ": " + why + "\n---\n" + text + "\n---");
            else if (r.ok()) accepted++;
            else rejected++;
        }
        System.out.printf("fuzz: %d mutations (seed %d): %d rejected with a position, %d accepted and valid, %d otherwise; slowest %d ms%n",
                MUTATIONS, SEED, rejected, accepted, failures.size(), slowest);
        assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())), failures.size() + " mutations misbehaved");
        assertTrue(rejected > MUTATIONS / 4 && accepted > 10, "the mutations exercise both outcomes: " + rejected + " / " + accepted);
    }

    /** Every example shipped with NoPE Lab, plus files with subjects and a sweep, as the seeds of mutation. */
    public static List<String> bases() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path dir : List.of(Path.of("../../examples"), Path.of("../../examples/paper"))) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) out.add(Files.readString(f));
            }
        }
        out.add("""
                schema: nopelab/experiment/1
                name: fz
                subjects: [{name: a}, {name: b, pe: sinusoidal}]
                model: {d_model: 16, heads: 2, layers: 1, d_ff: 32}
                input: {seq_len: 8, samples: 4}
                sweep:
                  grid:
                    model.init.std: [0.02, 0.3]
                    analysis.batch_size: [2, 4]
                  seeds: [1, 2]
                """);
        assertTrue(out.size() >= 10, "examples found from " + Path.of("").toAbsolutePath());
        return out;
    }

    static String mutate(String text, Random r) {
        int times = 1 + r.nextInt(3);
        for (int t = 0; t < times; t++) {
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            int at = r.nextInt(lines.size());
            switch (r.nextInt(9)) {
                case 0 -> { // a character of YAML's syntax inserted, replaced or removed
                    if (text.isEmpty()) break;
                    int p = r.nextInt(text.length());
                    char c = SIGNIFICANT.charAt(r.nextInt(SIGNIFICANT.length()));
                    text = switch (r.nextInt(3)) {
                        case 0 -> text.substring(0, p) + c + text.substring(p);
                        case 1 -> text.substring(0, p) + c + text.substring(p + 1);
                        default -> text.substring(0, p) + text.substring(p + 1);
                    };
                }
                case 1 -> { // a value replaced by a hostile one
                    String line = lines.get(at);
                    int colon = line.indexOf(": ");
                    if (colon > 0) lines.set(at, line.substring(0, colon + 2) + HOSTILE[r.nextInt(HOSTILE.length)]);
                    text = String.join("\n", lines);
                }
                case 2 -> { lines.add(at, lines.get(at)); text = String.join("\n", lines); } // duplicated line
                case 3 -> { lines.remove(at); text = String.join("\n", lines); }
                case 4 -> { lines.set(at, "  " + lines.get(at)); text = String.join("\n", lines); } // indented
                case 5 -> { lines.set(at, lines.get(at).replaceFirst("^ +", "")); text = String.join("\n", lines); } // dedented
                case 6 -> text = text + (r.nextBoolean() ? "\n---\nmodel: {heads: 0}\n" : "\nextra_key: 1\n");
                case 7 -> { // a number changed by orders of magnitude
                    text = text.replaceFirst("(?<=: )(\\d+(\\.\\d+)?)", r.nextBoolean() ? "$1e30" : "0.$1e-30");
                }
                default -> { // a key renamed to a near miss
                    String line = lines.get(at);
                    int colon = line.indexOf(':');
                    if (colon > 1) lines.set(at, line.substring(0, colon - 1) + "x" + line.substring(colon));
                    text = String.join("\n", lines);
                }
            }
        }
        return text;
    }

    /** Null when the rejection is a clean one: errors only at lines and columns inside the file, none internal. */
    static String badRejection(ExperimentReader.Result r, String text) {
        long lines = text.lines().count() + 1;
        for (Problem p : r.problems()) {
            if (p.message().startsWith(ExperimentReader.INTERNAL)) return "internal error: " + p.message();
            if (p.line() < 1 || p.line() > lines || p.column() < 1) return "position " + p.line() + ":" + p.column() + " outside the file: " + p.message();
        }
        return r.problems().stream().anyMatch(p -> p.severity() == Problem.Severity.error) ? null : "not ok, yet no error";
    }

    /** Null when an accepted file is valid through and through. */
    static String notGenuinelyValid(ExperimentReader.Result r) {
        try {
            ObjectNode resolved = r.resolved();
            ExperimentReader.Result again = ExperimentReader.read(Json.YAML.writeValueAsString(resolved));
            if (!again.ok()) return "its own resolved tree is rejected: " + again.problems();
            // the same experiment, as its hash sees it (number node types may differ after the round trip)
            if (!org.nopelab.core.run.Provenance.sha256(again.resolved()).equals(org.nopelab.core.run.Provenance.sha256(resolved))) return "its resolved tree does not read back the same";
            Experiment e = r.experiment();
            if (!folderName(e.name())) return "name '" + e.name() + "' is no plain folder name";
            for (Subject s : e.subjects()) if (!folderName(s.name())) return "subject '" + s.name() + "' is no plain folder name";
            if (e.isSweep()) {
                for (Sweep.Cell c : e.sweep().cells()) {
                    if (c.id().length() > Sweep.MAX_ID || !c.id().matches("[A-Za-z0-9._=+~-]+")) return "cell folder '" + c.id() + "'";
                    ObjectNode tree = Sweep.cellTree(resolved, c, e.sweep().seeds().get(0));
                    tree.put("name", "cell");
                    ExperimentReader.Result cell = ExperimentReader.read(Json.YAML.writeValueAsString(tree));
                    if (!cell.ok()) return "sweep cell " + c.id() + " is not a valid experiment: " + cell.problems();
                }
            }
            return null;
        } catch (IOException | RuntimeException ex) {
            return "accepted, then " + ex;
        }
    }

    static boolean folderName(String n) {
        return n.matches("[A-Za-z0-9._-]+") && !n.equals(".") && !n.equals("..");
    }
}
