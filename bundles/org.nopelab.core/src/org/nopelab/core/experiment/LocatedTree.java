package org.nopelab.core.experiment;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Jackson tree built from the parser's token stream so that every value and every key keeps the line and
 * column it came from: schema messages can then point into the file. Keys are JSON pointers ("/model/heads").
 */
final class LocatedTree {
    final Map<String, JsonLocation> values = new HashMap<>();
    final Map<String, JsonLocation> keys = new HashMap<>();
    final Map<String, JsonLocation> duplicates = new HashMap<>();
    /** What the file says that YAML allows but an experiment does not: pointer -> (location, message). */
    final Map<String, Map.Entry<JsonLocation, String>> refused = new java.util.LinkedHashMap<>();
    /** Numbers read with more digits than a double keeps: pointer -> (location, message); a warning. */
    final Map<String, Map.Entry<JsonLocation, String>> rounded = new java.util.LinkedHashMap<>();
    private final JsonNodeFactory f = JsonNodeFactory.instance;

    /** Significant digits a double holds (17 always round-trip); more are rounded away. */
    private static final int DOUBLE_DIGITS = 17;

    JsonNode read(JsonParser p) throws IOException {
        if (p.nextToken() == null) return null;
        JsonNode root = value(p, "");
        // one experiment per file: a second YAML document, or a first key indented so that YAML ends the mapping
        // early, would otherwise be dropped without a word
        if (p.nextToken() != null) {
            refused.put("", Map.entry(p.currentTokenLocation(), "the file goes on after the experiment ended (a second YAML document"
                    + " after '---', or the first key indented deeper than the next): one experiment per file, every top-level key at column 1"));
        }
        return root;
    }

    private JsonNode value(JsonParser p, String pointer) throws IOException {
        values.put(pointer, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
            // Jackson hands an alias over as its anchor's name, not its value: refuse rather than read the wrong thing
            refused.put(pointer, Map.entry(p.currentTokenLocation(), "YAML aliases (*" + p.getText() + ") are not supported in experiment files; write the value itself"));
            return f.nullNode();
        }
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                    if (o.has(name)) duplicates.put(child, p.currentTokenLocation());
                    else keys.put(child, p.currentTokenLocation());
                    p.nextToken();
                    JsonLocation keep = values.get(child);
                    JsonNode v = value(p, child);
                    if (o.has(name)) values.put(child, keep); // the first occurrence stays authoritative
                    else o.set(name, v);
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = f.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(value(p, pointer + "/" + a.size()));
                return a;
            }
            case VALUE_STRING: return f.textNode(p.getText());
            case VALUE_NUMBER_INT: return f.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT: return decimal(p, pointer);
            case VALUE_TRUE: return f.booleanNode(true);
            case VALUE_FALSE: return f.booleanNode(false);
            default: return f.nullNode();
        }
    }

    /**
     * A decimal as the double the program will use, so the schema checks the value that runs: 1e-400 underflows to
     * 0 and 0.99999999999999999999 rounds to 1.0, each of which must meet the field's range like any other value.
     */
    private JsonNode decimal(JsonParser p, String pointer) throws IOException {
        java.math.BigDecimal exact = p.getDecimalValue();
        double d = exact.doubleValue();
        JsonLocation at = p.currentTokenLocation();
        if (Double.isInfinite(d)) {
            refused.put(pointer, Map.entry(at, p.getText() + " is too large for a double (at most 1.8e308)"));
        } else if (d == 0 && exact.signum() != 0) {
            refused.put(pointer, Map.entry(at, p.getText() + " underflows to 0 in double precision (the smallest double is 4.9e-324)"));
        } else if (exact.stripTrailingZeros().precision() > DOUBLE_DIGITS && exact.compareTo(new java.math.BigDecimal(d)) != 0) {
            rounded.put(pointer, Map.entry(at, p.getText() + " has more digits than a double holds; it is read as " + d));
        }
        return f.numberNode(d);
    }

    /** Location of the key naming a field, else its value, else the closest enclosing field. */
    JsonLocation locate(String pointer, boolean preferKey) {
        for (String p = pointer; ; p = p.substring(0, Math.max(0, p.lastIndexOf('/')))) {
            JsonLocation l = preferKey && keys.containsKey(p) ? keys.get(p) : values.get(p);
            if (l == null) l = keys.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return null;
        }
    }
}
