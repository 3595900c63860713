package org.nopelab.core.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The experiment schema (JSON Schema 2020-12, bundled as schema/experiment-1.schema.json): the one place that
 * holds every field's type, range, default and one-line doc. The reader validates against it, fills defaults
 * from it; editor assist, hovers and the README reference read it too.
 */
public final class ExperimentSchema {
    public static final String RESOURCE = "/schema/experiment-1.schema.json";
    private static final JsonNode ROOT = load();

    private ExperimentSchema() {}

    public static JsonNode root() {
        return ROOT;
    }

    private static JsonNode load() {
        try (InputStream in = ExperimentSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("schema resource missing: " + RESOURCE);
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema of the field at a key path, e.g. ["model", "init", "std"]; null if there is no such field. */
    public static JsonNode field(List<String> path) {
        JsonNode s = ROOT;
        for (String key : path) {
            if (s.has("properties")) s = s.get("properties").get(key);
            else if (s.has("items")) s = s.get("items");
            else return null;
            if (s == null) return null;
        }
        return s;
    }

    /** Keys allowed in the object at a key path. */
    public static List<String> keys(List<String> path) {
        JsonNode s = field(path);
        List<String> keys = new ArrayList<>();
        if (s != null && s.has("properties")) s.get("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Every field that holds a value (not a section), as dotted paths such as model.init.std. */
    public static List<String> leafPaths() {
        List<String> out = new ArrayList<>();
        leafPaths(ROOT, "", out);
        return out;
    }

    /** The field paths a sweep's grid may name: the leaf paths its propertyNames pattern (in the schema) admits. */
    public static List<String> sweepable() {
        java.util.regex.Pattern allowed = java.util.regex.Pattern.compile(ROOT.at("/properties/sweep/properties/grid/propertyNames/pattern").asText());
        return leafPaths().stream().filter(p -> allowed.matcher(p).matches()).toList();
    }

    private static void leafPaths(JsonNode schema, String prefix, List<String> out) {
        if (!schema.has("properties")) {
            out.add(prefix);
            return;
        }
        schema.get("properties").fields().forEachRemaining(e -> leafPaths(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out));
    }

    /** Fills every missing field that has a default, recursively; returns the same node. */
    public static ObjectNode applyDefaults(ObjectNode node) {
        applyDefaults(node, ROOT);
        return node;
    }

    private static void applyDefaults(ObjectNode node, JsonNode schema) {
        JsonNode props = schema.get("properties");
        if (props == null) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode fieldSchema = e.getValue();
            if (!node.has(e.getKey()) && fieldSchema.has("default")) node.set(e.getKey(), fieldSchema.get("default").deepCopy());
            if (node.get(e.getKey()) instanceof ObjectNode child) applyDefaults(child, fieldSchema);
        }
    }
}
