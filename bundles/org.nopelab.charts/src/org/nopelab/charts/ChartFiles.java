package org.nopelab.charts;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;
import org.nopelab.core.io.AtomicFolder;
import org.nopelab.core.run.FigureRenderer;
import org.nopelab.core.run.StateMetrics;

/** Figure export: PNG through JFreeChart, SVG through JFreeSVG; each written atomically (AtomicFolder.write). */
public final class ChartFiles {
    public static final int WIDTH = 720, HEIGHT = 640;

    private ChartFiles() {}

    public static void png(JFreeChart chart, Path file, int width, int height) throws IOException {
        AtomicFolder.write(file, tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, width, height));
    }

    public static void svg(JFreeChart chart, Path file, int width, int height) throws IOException {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        AtomicFolder.write(file, tmp -> SVGUtils.writeToSVG(tmp.toFile(), g.getSVGElement()));
    }

    /** The data behind the chart (see {@link ChartData}). */
    public static void csv(JFreeChart chart, Path file) throws IOException {
        AtomicFolder.write(file, tmp -> Files.write(tmp, ChartData.csv(chart)));
    }

    /** The renderer result folders use: one PNG heatmap per state and the scores by layer. */
    public static FigureRenderer pngRenderer() {
        return new FigureRenderer() {
            @Override
            public void similarityHeatmap(String title, double[][] matrix, Path png) throws IOException {
                png(SimilarityHeatmap.create(title, matrix), png, WIDTH, HEIGHT);
            }

            @Override
            public void scoresByLayer(String title, List<StateMetrics> states, Path png) throws IOException {
                png(ScoreChart.create(title, states), png, 800, 500);
            }
        };
    }
}
