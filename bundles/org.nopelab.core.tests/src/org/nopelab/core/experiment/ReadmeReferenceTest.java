package org.nopelab.core.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/** The README's experiment-file reference must list every schema field with its default. */
class ReadmeReferenceTest {
    @Test
    void everyFieldIsDocumentedWithItsDefault() throws IOException {
        Path readme = Path.of("../../README.md"); // tycho-surefire runs in this bundle's folder
        assertTrue(Files.isRegularFile(readme), "README.md not found from " + Path.of("").toAbsolutePath());
        String text = Files.readString(readme);
        List<String> missing = new ArrayList<>();
        collect(ExperimentSchema.root(), "", text, missing);
        assertTrue(missing.isEmpty(), "README reference out of step with the schema: " + missing);
    }

    /** The reference table's row of a field, or null. */
    static String row(String readme, String path) {
        return readme.lines().filter(l -> l.startsWith("| `" + path + "` |")).findFirst().orElse(null);
    }

    /** The check itself must fail on a row whose default is wrong, even when that value appears elsewhere. */
    @Test
    void aWrongDefaultInItsRowIsFound() {
        String readme = "| `model.layers` | integer | `1` | Number of blocks. |\n| `seed` | integer | `6` | Seed. |\n";
        List<String> missing = new ArrayList<>();
        JsonNode schema = org.nopelab.core.io.Json.MAPPER.createObjectNode().set("properties", org.nopelab.core.io.Json.MAPPER.createObjectNode()
                .set("model", org.nopelab.core.io.Json.MAPPER.createObjectNode().set("properties", org.nopelab.core.io.Json.MAPPER.createObjectNode()
                        .set("layers", org.nopelab.core.io.Json.MAPPER.createObjectNode().put("default", 6)))));
        collect(schema, "", readme, missing);
        assertTrue(missing.size() == 1 && missing.get(0).startsWith("model.layers (default 6, README says `1`"), missing.toString());
    }

    private static void collect(JsonNode schema, String prefix, String readme, List<String> missing) {
        schema.path("properties").fields().forEachRemaining(e -> {
            String path = prefix + e.getKey();
            JsonNode f = e.getValue();
            if (f.has("properties")) {
                collect(f, path + ".", readme, missing);
                return;
            }
            boolean required = false;
            for (JsonNode r : schema.path("required")) required |= r.asText().equals(e.getKey());
            String def = !f.has("default") ? (required ? "(required)" : "(none)") : f.get("default").isTextual() ? f.get("default").asText() : f.get("default").toString();
            String row = row(readme, path);
            if (row == null) {
                missing.add(path + " (no row)");
                return;
            }
            // | `key` | type / allowed | `default` | meaning |: the default must stand in its own column of its own row
            String[] cells = row.split("(?<!\\\\)\\|", -1);
            String shown = cells.length > 3 ? cells[3].trim() : "";
            if (!shown.equals("`" + def + "`") && !shown.startsWith("`" + def + "` ")) missing.add(path + " (default " + def + ", README says " + shown + ")");
        });
    }
}
