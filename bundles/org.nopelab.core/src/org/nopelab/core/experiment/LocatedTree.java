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
    private final JsonNodeFactory f = JsonNodeFactory.instance;

    JsonNode read(JsonParser p) throws IOException {
        if (p.nextToken() == null) return null;
        return value(p, "");
    }

    private JsonNode value(JsonParser p, String pointer) throws IOException {
        values.put(pointer, p.currentTokenLocation());
        JsonToken t = p.currentToken();
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
            case VALUE_NUMBER_FLOAT: return f.numberNode(p.getDecimalValue());
            case VALUE_TRUE: return f.booleanNode(true);
            case VALUE_FALSE: return f.booleanNode(false);
            default: return f.nullNode();
        }
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
