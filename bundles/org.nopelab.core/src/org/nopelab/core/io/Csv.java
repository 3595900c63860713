package org.nopelab.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/** Numeric tables as CSV (Jackson CSV): matrices without a header, curves with one. */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private Csv() {}

    public static void writeMatrix(Path file, double[][] m) throws IOException {
        Files.write(file, Arrays.stream(m).map(row -> join(Arrays.stream(row).mapToObj(Double::toString))).toList());
    }

    /** Columns of equal length under a header row. */
    public static void writeColumns(Path file, List<String> header, List<double[]> columns) throws IOException {
        List<String> lines = new ArrayList<>(List.of(String.join(",", header)));
        for (int i = 0; i < columns.get(0).length; i++) {
            int row = i;
            lines.add(join(columns.stream().map(c -> Double.toString(c[row]))));
        }
        Files.write(file, lines);
    }

    /** Rows of text and numbers under a header row, quoted where needed (a sweep's long table). */
    public static void writeTable(Path file, List<String> header, List<List<Object>> rows) throws IOException {
        try (var w = MAPPER.writerFor(Object[].class).writeValues(file.toFile())) {
            w.write(header.toArray());
            for (List<Object> r : rows) w.write(r.toArray());
        }
    }

    public static double[][] readMatrix(Path file) throws IOException {
        return readRows(file).stream().map(r -> Arrays.stream(r).mapToDouble(c -> Double.parseDouble(c.trim())).toArray()).toArray(double[][]::new);
    }

    /** A table written by {@link #writeColumns}: column name -> values, in header order. */
    public static java.util.Map<String, double[]> readColumns(Path file) throws IOException {
        List<String[]> rows = readRows(file);
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        String[] header = rows.get(0);
        for (int c = 0; c < header.length; c++) {
            double[] col = new double[rows.size() - 1];
            for (int r = 1; r < rows.size(); r++) col[r - 1] = Double.parseDouble(rows.get(r)[c].trim());
            out.put(header[c].trim(), col);
        }
        return out;
    }

    /** Token ids, one sequence per line; a cell that is not a whole number is named by its line and column. */
    public static int[][] readTokens(Path file) throws IOException {
        List<String[]> rows;
        try {
            rows = readRows(file);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not a CSV file of token ids (" + e.getClass().getSimpleName() + ")");
        }
        int[][] out = new int[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            out[r] = new int[rows.get(r).length];
            for (int c = 0; c < out[r].length; c++) {
                String cell = rows.get(r)[c].trim();
                try {
                    out[r][c] = Integer.parseInt(cell);
                } catch (NumberFormatException e) {
                    String shown = cell.length() > 20 ? cell.substring(0, 20) + "..." : cell;
                    throw new IllegalArgumentException(file + ": row " + (r + 1) + ", column " + (c + 1) + ": '" + shown.replaceAll("\\p{Cntrl}", "?")
                            + "' is not a token id (a whole number)");
                }
            }
        }
        return out;
    }

    public static void writeTokens(Path file, int[][] tokens) throws IOException {
        Files.write(file, Arrays.stream(tokens).map(row -> join(Arrays.stream(row).mapToObj(Integer::toString))).toList());
    }

    private static String join(Stream<String> cells) {
        return cells.collect(Collectors.joining(","));
    }

    private static List<String[]> readRows(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = MAPPER.readerFor(String[].class).readValues(file.toFile())) {
            while (it.hasNext()) {
                String[] r = it.next();
                if (r.length > 0 && !(r.length == 1 && r[0].isBlank())) rows.add(r);
            }
        }
        return rows;
    }
}
