package org.nopelab.core.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/** Numeric tables as CSV (Jackson CSV): matrices without a header, curves with one. */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private Csv() {}

    public static void writeMatrix(Path file, double[][] m) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            for (double[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    if (j > 0) w.write(',');
                    w.write(Double.toString(row[j]));
                }
                w.write('\n');
            }
        }
    }

    /** Columns of equal length under a header row. */
    public static void writeColumns(Path file, List<String> header, List<double[]> columns) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(String.join(",", header));
            w.write('\n');
            for (int i = 0; i < columns.get(0).length; i++) {
                for (int c = 0; c < columns.size(); c++) {
                    if (c > 0) w.write(',');
                    w.write(Double.toString(columns.get(c)[i]));
                }
                w.write('\n');
            }
        }
    }

    public static double[][] readMatrix(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String[] r : readRows(file)) {
            double[] row = new double[r.length];
            for (int j = 0; j < r.length; j++) row[j] = Double.parseDouble(r[j].trim());
            rows.add(row);
        }
        return rows.toArray(double[][]::new);
    }

    /** Token ids, one sequence per row. */
    public static int[][] readTokens(Path file) throws IOException {
        List<int[]> rows = new ArrayList<>();
        for (String[] r : readRows(file)) {
            int[] row = new int[r.length];
            for (int j = 0; j < r.length; j++) row[j] = Integer.parseInt(r[j].trim());
            rows.add(row);
        }
        return rows.toArray(int[][]::new);
    }

    public static void writeTokens(Path file, int[][] tokens) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            for (int[] row : tokens) {
                for (int j = 0; j < row.length; j++) {
                    if (j > 0) w.write(',');
                    w.write(Integer.toString(row[j]));
                }
                w.write('\n');
            }
        }
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
