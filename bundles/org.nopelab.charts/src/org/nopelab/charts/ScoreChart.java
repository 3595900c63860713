package org.nopelab.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.run.StateMetrics;

/** Adjacency scores by layer (per-sequence means) with each score's chance level as a dashed line. */
public final class ScoreChart {
    private ScoreChart() {}

    public static JFreeChart create(String title, List<StateMetrics> states) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<StateMetrics> layers = states.stream().filter(s -> s.name().equals("layer" + s.layer())).toList();
        for (AdjacencyScore a : AdjacencyScore.values()) {
            if (layers.isEmpty() || !layers.get(0).scores().containsKey(a)) continue;
            XYSeries measured = new XYSeries(a.name()), chance = new XYSeries(a.name() + " chance");
            for (StateMetrics s : layers) {
                measured.add(s.layer(), s.scores().get(a).perSequence().mean());
                chance.add(s.layer(), s.scores().get(a).chance());
            }
            data.addSeries(measured);
            data.addSeries(chance);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "layer (0 = token embeddings)", "adjacency score", data,
                PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = StudyCharts.styled(chart).getXYPlot();
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int k = 0; k < data.getSeriesCount(); k++) {
            Color c = ColourMap.colour(k / 2 / (double) Math.max(1, data.getSeriesCount() / 2 - 1) * 0.85);
            r.setSeriesPaint(k, c);
            if (k % 2 == 1) {
                r.setSeriesStroke(k, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {5, 4}, 0));
                r.setSeriesShapesVisible(k, false);
            } else {
                r.setSeriesStroke(k, new BasicStroke(2f));
            }
        }
        plot.setRenderer(r);
        return chart;
    }
}
