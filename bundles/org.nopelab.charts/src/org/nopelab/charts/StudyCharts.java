package org.nopelab.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.nopelab.core.metrics.Estimate;

/**
 * Charts of studies across results: estimates with their 95% band against a grid value or layer (sweeps,
 * subjects side by side), measurements with theory overlays, and histograms across configurations.
 */
public final class StudyCharts {
    private StudyCharts() {}

    /** One line of estimates: y[k] at x[k]; null estimates are skipped. */
    public record Line(String name, double[] x, Estimate[] y) {}

    /**
     * Lines with a shaded 95% band each, and the chance level as a dashed grey marker (null for none).
     * {@code logX} puts the grid value on a log axis (init std, width).
     */
    public static JFreeChart estimates(String title, String xLabel, String yLabel, List<Line> lines, Double chance, boolean logX) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        int fewest = Integer.MAX_VALUE;
        boolean clipped = false;
        for (Line l : lines) {
            YIntervalSeries s = new YIntervalSeries(l.name());
            for (int k = 0; k < l.x().length; k++) {
                Estimate e = l.y()[k];
                if (e == null) continue;
                s.add(l.x()[k], e.mean(), e.ci95Low(), e.ci95High());
                if (e.n() > 1) fewest = Math.min(fewest, e.n());
                clipped |= e.clipped();
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, true, false);
        String note = intervalNote(fewest, clipped);
        if (note != null) chart.addSubtitle(new org.jfree.chart.title.TextTitle(note));
        XYPlot plot = chart.getXYPlot();
        DeviationRenderer r = new DeviationRenderer(true, true);
        r.setAlpha(0.2f);
        for (int k = 0; k < lines.size(); k++) {
            Color c = ColourMap.colour(lines.size() == 1 ? 0 : k / (double) (lines.size() - 1) * 0.9);
            r.setSeriesPaint(k, c);
            r.setSeriesFillPaint(k, c);
            r.setSeriesStroke(k, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        boolean whole = lines.stream().allMatch(l -> java.util.Arrays.stream(l.x()).allMatch(v -> v == Math.rint(v)));
        if (whole && !logX) ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits()); // layers, blocks, factors: no 1.1
        if (logX) {
            LogAxis axis = new LogAxis(xLabel); // decades, labelled as plain numbers (0.01, 0.1, 1), not 10^-1.8
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            axis.setNumberFormatOverride(new java.text.DecimalFormat("0.####"));
            plot.setDomainAxis(axis);
        }
        if (chance != null) {
            ValueMarker m = new ValueMarker(chance, Color.GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            m.setLabel("chance " + String.format("%.3f", chance));
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT); // drawn into the plot from its left edge
            m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(m);
        }
        return styled(chart);
    }

    /**
     * What a reader must know about the bands: that they rest on too few samples to mean much, or were cut at
     * the quantity's range. Null when neither applies.
     */
    public static String intervalNote(int fewestSamples, boolean clipped) {
        List<String> parts = new java.util.ArrayList<>();
        if (fewestSamples < Estimate.FEW) {
            parts.add(String.format("bands from n = %d (Student-t, %d degree%s of freedom, t = %.1f): too few samples for the interval to mean much",
                    fewestSamples, fewestSamples - 1, fewestSamples == 2 ? "" : "s",
                    Estimate.t975(fewestSamples)));
        }
        if (clipped) parts.add("bands clipped to the range of the score");
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** A measured curve (solid, with points) and each theory's prediction over it (dashed). */
    public static JFreeChart theoryOverlay(String title, String xLabel, String yLabel, double[] x, double[] measured, String measuredName,
            Map<String, double[]> theories) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series(measuredName, x, measured));
        theories.forEach((name, y) -> data.addSeries(series(name, x, y)));
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, true, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesShapesVisible(0, true);
        r.setSeriesPaint(0, Color.BLACK);
        r.setSeriesStroke(0, new BasicStroke(2f));
        Color[] theory = {new Color(0xD55E00), new Color(0x0072B2), new Color(0x009E73)};
        for (int k = 1; k <= theories.size(); k++) {
            r.setSeriesPaint(k, theory[(k - 1) % theory.length]);
            r.setSeriesStroke(k, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 5}, 0));
        }
        chart.getXYPlot().setRenderer(r);
        // theories on top of the measurement, so an exact agreement still shows the dashed line
        chart.getXYPlot().setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
        return styled(chart);
    }

    /** Histograms of a quantity across configurations, one per group, overlaid half-transparent. */
    public static JFreeChart histogram(String title, String xLabel, Map<String, double[]> groups, int bins) {
        HistogramDataset data = new HistogramDataset();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] v : groups.values()) for (double x : v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
        if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
        for (var g : groups.entrySet()) if (g.getValue().length > 0) data.addSeries(g.getKey(), g.getValue(), bins, lo, hi);
        JFreeChart chart = ChartFactory.createHistogram(title, xLabel, "configurations", data, PlotOrientation.VERTICAL, true, true, false);
        XYBarRenderer r = (XYBarRenderer) chart.getXYPlot().getRenderer();
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        for (int k = 0; k < data.getSeriesCount(); k++) {
            Color c = ColourMap.colour(data.getSeriesCount() == 1 ? 0.3 : k / (double) (data.getSeriesCount() - 1) * 0.9);
            r.setSeriesPaint(k, new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
        }
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return styled(chart);
    }

    static XYSeries series(String name, double[] x, double[] y) {
        XYSeries s = new XYSeries(name, false, true);
        for (int k = 0; k < x.length; k++) if (Double.isFinite(y[k])) s.add(x[k], y[k]);
        return s;
    }

    /** The look every line chart of NoPE Lab shares: white backgrounds, light grey grid lines. */
    static JFreeChart styled(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
