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

    private static void collect(JsonNode schema, String prefix, String readme, List<String> missing) {
        schema.path("properties").fields().forEachRemaining(e -> {
            String path = prefix + e.getKey();
            JsonNode f = e.getValue();
            if (f.has("properties")) {
                collect(f, path + ".", readme, missing);
                return;
            }
            String def = !f.has("default") ? "(required)" : f.get("default").isTextual() ? f.get("default").asText() : f.get("default").toString();
            if (!readme.contains("| `" + path + "` |") || !readme.contains("`" + def + "`")) missing.add(path + " (default " + def + ")");
        });
    }
}
