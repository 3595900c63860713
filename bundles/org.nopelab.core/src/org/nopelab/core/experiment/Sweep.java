package org.nopelab.core.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sweep section: a grid of field paths and values, and the model seeds every cell runs with. Cells are the
 * Cartesian product of the grid in file order (the last key varies fastest); each cell with each seed is one
 * ordinary experiment, so everything a single run measures is measured per cell.
 */
public record Sweep(Map<String, List<JsonNode>> grid, List<Long> seeds) {

    /** One combination of grid values; {@code id} is its folder name, e.g. "03_std=0.3_residual=false". */
    public record Cell(int index, String id, Map<String, JsonNode> values) {
        /** The cell's values in the file's vocabulary, e.g. "model.init.std=0.3, model.residual=false". */
        public String label() {
            List<String> parts = new ArrayList<>();
            values.forEach((k, v) -> parts.add(k + "=" + text(v)));
            return String.join(", ", parts);
        }
    }

    public List<Cell> cells() {
        List<Map<String, JsonNode>> combos = new ArrayList<>(List.of(new LinkedHashMap<>()));
        for (Map.Entry<String, List<JsonNode>> axis : grid.entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> c : combos) {
                for (JsonNode v : axis.getValue()) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(c);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Cell> cells = new ArrayList<>();
        int width = String.valueOf(combos.size() - 1).length();
        for (int i = 0; i < combos.size(); i++) {
            StringBuilder id = new StringBuilder(String.format("%0" + Math.max(2, width) + "d", i));
            combos.get(i).forEach((k, v) -> id.append('_').append(k.substring(k.lastIndexOf('.') + 1)).append('=')
                    .append(text(v).replaceAll("[^A-Za-z0-9.+-]", "-")));
            cells.add(new Cell(i, folderName(id.toString()), combos.get(i)));
        }
        return cells;
    }

    /** A grid value as a folder name shows it: numbers in their shortest decimal form (1.0 -> 1, 0.020 -> 0.02). */
    public static String text(JsonNode v) {
        if (v.isArray()) { // a list value (a schedule such as [sliding_window, causal]) reads as its entries joined by '-'
            List<String> parts = new java.util.ArrayList<>();
            v.forEach(e -> parts.add(text(e)));
            return String.join("-", parts);
        }
        return v.isNumber() && !v.isIntegralNumber() && Double.isFinite(v.asDouble())
                ? java.math.BigDecimal.valueOf(v.asDouble()).stripTrailingZeros().toString() : v.asText();
    }

    /** Most runs (cells x seeds) one sweep may have. */
    public static final int MAX_RUNS = 4096;

    /** Longest cell folder name: far inside the 255 bytes a file system allows, with room for the run folders below. */
    static final int MAX_ID = 120;

    /** The id as a folder name: a long one (a long grid value) is cut and keeps a hash of the whole, so it stays unique. */
    static String folderName(String id) {
        if (id.length() <= MAX_ID) return id;
        String hash = Integer.toHexString(id.hashCode() & 0x7fffffff);
        return id.substring(0, MAX_ID - hash.length() - 1) + "~" + hash;
    }

    /**
     * The resolved tree of one cell and seed: the sweep's own tree with the cell's values set, seed replaced and
     * the sweep section removed, so it reads as a plain experiment.
     */
    public static ObjectNode cellTree(ObjectNode resolved, Cell cell, long seed) {
        ObjectNode t = resolved.deepCopy();
        t.remove("sweep");
        cell.values().forEach((path, v) -> set(t, path, v));
        t.set("seed", LongNode.valueOf(seed));
        return t;
    }

    /** Sets a dotted field path, creating the objects on the way (a key left at its default has none yet). */
    static void set(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode o = root;
        for (int i = 0; i < keys.length - 1; i++) {
            o = o.get(keys[i]) instanceof ObjectNode child ? child : o.putObject(keys[i]);
        }
        o.set(keys[keys.length - 1], value.deepCopy());
    }
}
