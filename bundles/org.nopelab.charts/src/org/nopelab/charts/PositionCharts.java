package org.nopelab.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;
import org.nopelab.core.metrics.AttentionStats;
import org.nopelab.core.metrics.LagProfile;
import org.nopelab.core.run.StateMetrics;

/** Where position lives: lag profiles with their theory, order recovery by layer, attention matrices and entropy. */
public final class PositionCharts {
    private PositionCharts() {}

    private static final BasicStroke SOLID = new BasicStroke(2f), DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
            new float[] {6, 4}, 0);

    /** One solid line per query-position bin, its uniform-attention theory dashed in the same colour. */
    public static JFreeChart lagProfile(String title, LagProfile p) {
        XYSeriesCollection data = new XYSeriesCollection();
        int bins = p.cosine().length;
        for (int b = 0; b < bins; b++) {
            String label = "queries " + p.binStart()[b] + "-" + (p.binEnd()[b] - 1);
            double[] x = java.util.stream.IntStream.range(0, p.cosine()[b].length).asDoubleStream().toArray();
            data.addSeries(StudyCharts.series(label, x, p.cosine()[b]));
            data.addSeries(StudyCharts.series(label + ", uniform attention" + (p.window() == null ? "" : " (window " + p.window() + ")"), x, p.theory()[b]));
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "lag d", "mean cos(h_i, h_i-d)", data, PlotOrientation.VERTICAL, true, true, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int b = 0; b < bins; b++) {
            Color c = ColourMap.colour(bins == 1 ? 0 : b / (double) (bins - 1) * 0.9);
            r.setSeriesPaint(2 * b, c);
            r.setSeriesStroke(2 * b, SOLID);
            r.setSeriesPaint(2 * b + 1, c);
            r.setSeriesStroke(2 * b + 1, DASHED);
        }
        chart.getXYPlot().setRenderer(r);
        // each theory over its measurement, so an exact agreement still shows the dashed line
        chart.getXYPlot().setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
        chart.addSubtitle(new org.jfree.chart.title.TextTitle("dashed: uniform attention over i.i.d. values (tiny init, no residual); elsewhere a reference"));
        return StudyCharts.styled(chart);
    }

    /**
     * |Kendall tau| and |Spearman rho| of the order recovered from each residual-stream state's similarities (layer0..N;
     * sublayer states share their block's x), with a random order's mean |tau| as chance; null without order recovery.
     */
    public static JFreeChart orderByLayer(String title, List<StateMetrics> states) {
        List<StateMetrics> with = states.stream().filter(s -> s.order() != null && s.name().equals("layer" + s.layer())).toList();
        if (with.isEmpty()) return null;
        StudyCharts.Line tau = new StudyCharts.Line("|Kendall tau|", with.stream().mapToDouble(StateMetrics::layer).toArray(),
                with.stream().map(s -> s.order().tau()).toArray(org.nopelab.core.metrics.Estimate[]::new));
        StudyCharts.Line rho = new StudyCharts.Line("|Spearman rho|", with.stream().mapToDouble(StateMetrics::layer).toArray(),
                with.stream().map(s -> s.order().rho()).toArray(org.nopelab.core.metrics.Estimate[]::new));
        JFreeChart chart = StudyCharts.estimates(title, "layer", "agreement with the true order", List.of(tau, rho), with.get(0).order().chance().tau(), false);
        chart.addSubtitle(new org.jfree.chart.title.TextTitle(String.format("spectral seriation of the shuffled matrix; random order: |tau| %.3f (95th pct %.3f)",
                with.get(0).order().chance().tau(), with.get(0).order().chance().tau95())));
        ((org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        return chart;
    }

    /** One head's mean attention matrix (rows: queries, columns: keys). */
    public static JFreeChart attention(String title, double[][] m, ColourMap map) {
        double max = 0;
        for (double[] row : m) for (double v : row) max = Math.max(max, v);
        return SimilarityHeatmap.create(title, m, 0, Math.max(max, 1e-9), map, "attention probability");
    }

    /** Entropy by query position of every head of a block, and uniform attention's (dashed). */
    public static JFreeChart entropy(String title, AttentionStats block) {
        XYSeriesCollection data = new XYSeriesCollection();
        int heads = block.heads().size();
        for (AttentionStats.Head h : block.heads()) {
            double[] x = java.util.stream.IntStream.range(0, h.entropyByPosition().length).asDoubleStream().toArray();
            data.addSeries(StudyCharts.series(String.format("head %d (sink %.2f, offset R^2 %.2f)", h.head(), h.sinkRate(), h.offsetR2()), x, h.entropyByPosition()));
        }
        AttentionStats.Head first = block.heads().get(0);
        double[] x = java.util.stream.IntStream.range(0, first.uniformEntropyByPosition().length).asDoubleStream().toArray();
        data.addSeries(StudyCharts.series("uniform over the visible keys", x, first.uniformEntropyByPosition()));
        JFreeChart chart = ChartFactory.createXYLineChart(title, "query position i", "attention entropy (nats)", data, PlotOrientation.VERTICAL, true, true, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int k = 0; k < heads; k++) {
            r.setSeriesPaint(k, ColourMap.colour(heads == 1 ? 0 : k / (double) (heads - 1) * 0.9));
            r.setSeriesStroke(k, SOLID);
        }
        r.setSeriesPaint(heads, Color.GRAY);
        r.setSeriesStroke(heads, DASHED);
        chart.getXYPlot().setRenderer(r);
        chart.getXYPlot().setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD); // uniform's dashed line on top
        return StudyCharts.styled(chart);
    }
}
