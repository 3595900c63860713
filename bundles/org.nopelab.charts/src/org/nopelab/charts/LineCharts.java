package org.nopelab.charts;

import java.awt.BasicStroke;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.probe.PositionProbe;
import org.nopelab.core.run.StateMetrics;

/** The per-result line charts besides the heatmaps: variance by position, probes by layer, training curves. */
public final class LineCharts {
    private LineCharts() {}

    /** Chi et al.'s variance signal against position, one line per layer. */
    public static JFreeChart variance(String title, List<StateMetrics> states) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (StateMetrics s : layers(states)) {
            XYSeries line = new XYSeries(s.name());
            Estimate[] v = s.variance();
            for (int i = 0; i < v.length; i++) line.add(i, v[i].mean());
            data.addSeries(line);
        }
        return styled(ChartFactory.createXYLineChart(title, "position", "variance across coordinates", data,
                PlotOrientation.VERTICAL, true, true, false), false);
    }

    /** Held-out R^2 of the cosine and the variance position probes against layer. */
    public static JFreeChart probes(String title, List<StateMetrics> states) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> undefined = new java.util.ArrayList<>();
        for (PositionProbe.Features f : PositionProbe.Features.values()) {
            XYSeries line = new XYSeries(f.name() + " probe R\u00b2");
            List<Integer> where = new java.util.ArrayList<>();
            String why = null;
            for (StateMetrics s : layers(states)) {
                if (s.probes() == null) continue;
                PositionProbe.Score p = s.probes().get(f);
                line.add(s.layer(), p.r2()); // NaN where undefined: a gap in the line, explained below the title
                if (!p.defined()) {
                    where.add(s.layer());
                    if (why == null) why = p.undefined();
                }
            }
            if (!where.isEmpty()) undefined.add(f.name() + " probe undefined at layer " + where.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + " (at layer " + where.get(0) + ": " + why + ")");
            data.addSeries(line);
        }
        // the relative-distance probe (pairs -> i - j), where the result has it
        if (layers(states).stream().anyMatch(s -> s.relativeProbe() != null)) {
            XYSeries relative = new XYSeries("relative-distance probe R\u00b2 (pairs)");
            for (StateMetrics s : layers(states)) if (s.relativeProbe() != null) relative.add(s.layer(), s.relativeProbe().r2());
            data.addSeries(relative);
        }
        JFreeChart chart = styled(ChartFactory.createXYLineChart(title, "layer (0 = token embeddings)", "held-out R\u00b2", data,
                PlotOrientation.VERTICAL, true, true, false), true);
        if (!undefined.isEmpty()) {
            chart.addSubtitle(new org.jfree.chart.title.TextTitle(String.join("; ", undefined) + "; no fit is shown there"));
        }
        ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return chart;
    }

    /**
     * One state's probes: mean held-out predicted position against the true position, with the diagonal a
     * perfect probe would follow. Null when the state has no probes (or they predate predictions).
     */
    public static JFreeChart probePredictions(String title, StateMetrics state) {
        if (state.probes() == null) return null;
        XYSeriesCollection data = new XYSeriesCollection();
        int n = 0;
        for (PositionProbe.Features f : PositionProbe.Features.values()) {
            double[] mean = state.probes().get(f).meanPrediction();
            if (mean == null) return null;
            XYSeries line = new XYSeries(f.name() + " probe");
            for (int i = 0; i < mean.length; i++) if (!Double.isNaN(mean[i])) line.add(i + 1, mean[i]);
            data.addSeries(line);
            n = mean.length;
        }
        XYSeries ideal = new XYSeries("true position");
        ideal.add(1, 1);
        ideal.add(n, n);
        data.addSeries(ideal);
        JFreeChart chart = styled(ChartFactory.createXYLineChart(title, "true position", "mean predicted position (held out)", data,
                PlotOrientation.VERTICAL, true, true, false), true);
        chart.getXYPlot().getRenderer().setSeriesPaint(2, java.awt.Color.GRAY);
        for (PositionProbe.Features f : PositionProbe.Features.values()) {
            PositionProbe.Score p = state.probes().get(f);
            if (!p.defined()) chart.addSubtitle(new org.jfree.chart.title.TextTitle(f.name() + " probe undefined: " + p.undefined()));
        }
        return chart;
    }

    /** Training loss and held-out accuracy against step (columns of curves/training.csv). */
    public static JFreeChart training(String title, double[] step, double[] loss, double[] accuracy) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries l = new XYSeries("loss"), a = new XYSeries("held-out token accuracy");
        for (int i = 0; i < step.length; i++) {
            l.add(step[i], loss[i]);
            a.add(step[i], accuracy[i]);
        }
        data.addSeries(l);
        data.addSeries(a);
        return styled(ChartFactory.createXYLineChart(title, "step", "loss / accuracy", data, PlotOrientation.VERTICAL, true, true, false), true);
    }

    private static List<StateMetrics> layers(List<StateMetrics> states) {
        return states.stream().filter(s -> s.name().equals("layer" + s.layer())).toList();
    }

    private static JFreeChart styled(JFreeChart chart, boolean shapes) {
        XYPlot plot = StudyCharts.styled(chart).getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        int n = plot.getDataset().getSeriesCount();
        for (int k = 0; k < n; k++) {
            r.setSeriesPaint(k, ColourMap.colour(n == 1 ? 0 : k / (double) (n - 1) * 0.9));
            r.setSeriesStroke(k, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        return chart;
    }
}
