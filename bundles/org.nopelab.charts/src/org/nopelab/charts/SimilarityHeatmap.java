package org.nopelab.charts;

import java.awt.Color;
import java.awt.Font;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A positions x positions self-similarity matrix as a heatmap: row i (query position) down, column j across,
 * so the adjacency pattern is the bright band along the diagonal, as in the paper's figures.
 */
public final class SimilarityHeatmap {
    private SimilarityHeatmap() {}

    /**
     * Colour range from the matrix without its diagonal: self-similarity is 1 everywhere and would otherwise
     * take the top of the scale and flatten the band next to it. The diagonal shows in the brightest colour.
     */
    public static JFreeChart create(String title, double[][] m) {
        double[] range = range(m);
        return create(title, m, range[0], range[1]);
    }

    /** Colour range given, so several heatmaps can share one scale. */
    public static JFreeChart create(String title, double[][] m, double low, double high) {
        return create(title, m, low, high, ColourMap.viridis, "cosine similarity");
    }

    /** {low, high} over the off-diagonal cells of every matrix: one shared scale for all of them. */
    public static double[] range(double[][]... matrices) {
        double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
        for (double[][] m : matrices) {
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < m.length; j++) {
                    if (i == j && m.length > 1) continue;
                    low = Math.min(low, m[i][j]);
                    high = Math.max(high, m[i][j]);
                }
            }
        }
        return new double[] {low, high};
    }

    /** a - b cell by cell on a diverging scale symmetric about 0, so white means "no difference". */
    public static JFreeChart difference(String title, double[][] a, double[][] b) {
        int n = a.length;
        double[][] d = new double[n][n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = a[i][j] - b[i][j];
                max = Math.max(max, Math.abs(d[i][j]));
            }
        }
        if (max == 0) max = 1e-9;
        return create(title, d, -max, max, ColourMap.difference, "difference of cosine similarity");
    }

    /** The heatmap with a given colour range, map and legend label. */
    public static JFreeChart create(String title, double[][] m, double low, double high, ColourMap map, String valueLabel) {
        int n = m.length;
        double[][] xyz = new double[3][n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int k = i * n + j;
                xyz[0][k] = j;
                xyz[1][k] = i;
                xyz[2][k] = m[i][j];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("similarity", xyz);

        NumberAxis x = new NumberAxis("position j");
        NumberAxis y = new NumberAxis("position i");
        for (NumberAxis a : new NumberAxis[] {x, y}) {
            a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            a.setRange(-0.5, n - 0.5);
            a.setLowerMargin(0);
            a.setUpperMargin(0);
        }
        y.setInverted(true);
        XYBlockRenderer renderer = new XYBlockRenderer();
        PaintScale scale = map.scale(low, high);
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(false); // no seams between blocks
        NumberAxis scaleAxis = new NumberAxis(valueLabel);
        scaleAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setStripWidth(14);
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        return chart;
    }
}
