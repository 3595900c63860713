package org.nopelab.ui.internal;

import java.awt.geom.Rectangle2D;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;

/**
 * The exact value under a pointer, from the data rather than from rendered entities (a 512 x 512 heatmap
 * would need 262,144 of them): the heatmap cell under it, or the nearest point of a line chart.
 */
final class ChartValues {
    private static final double NEAR_PIXELS = 12;

    private ChartValues() {}

    static String at(JFreeChart chart, ChartRenderingInfo info, double x, double y) {
        if (chart == null || !(chart.getPlot() instanceof XYPlot p)) return null;
        Rectangle2D area = info.getPlotInfo().getDataArea();
        if (area.getWidth() <= 0 || !area.contains(x, y) || p.getDataset() == null) return null;
        return p.getDataset() instanceof XYZDataset cells ? cell(chart, p, cells, area, x, y) : nearest(p, area, x, y);
    }

    /** Heatmap cells are stored row by row (i * n + j), x = column j, y = row i. */
    private static String cell(JFreeChart chart, XYPlot p, XYZDataset cells, Rectangle2D area, double x, double y) {
        int n = (int) Math.round(Math.sqrt(cells.getItemCount(0)));
        int j = (int) Math.round(p.getDomainAxis().java2DToValue(x, area, p.getDomainAxisEdge()));
        int i = (int) Math.round(p.getRangeAxis().java2DToValue(y, area, p.getRangeAxisEdge()));
        if (i < 0 || j < 0 || i >= n || j >= n) return null;
        String what = "value";
        for (Object t : chart.getSubtitles()) if (t instanceof PaintScaleLegend l && l.getAxis().getLabel() != null) what = l.getAxis().getLabel();
        return String.format("%s = %d, %s = %d%n%s = %.5f", p.getRangeAxis().getLabel(), i, p.getDomainAxis().getLabel(), j,
                what, cells.getZValue(0, i * n + j));
    }

    private static String nearest(XYPlot p, Rectangle2D area, double x, double y) {
        String best = null;
        double bestDistance = NEAR_PIXELS;
        for (int d = 0; d < p.getDatasetCount(); d++) {
            XYDataset data = p.getDataset(d);
            if (data == null) continue;
            var domain = p.getDomainAxisForDataset(d);
            var range = p.getRangeAxisForDataset(d);
            for (int s = 0; s < data.getSeriesCount(); s++) {
                for (int k = 0; k < data.getItemCount(s); k++) {
                    double vx = data.getXValue(s, k), vy = data.getYValue(s, k);
                    if (Double.isNaN(vy)) continue;
                    double px = domain.valueToJava2D(vx, area, p.getDomainAxisEdge(p.getDomainAxisIndex(domain)));
                    double py = range.valueToJava2D(vy, area, p.getRangeAxisEdge(p.getRangeAxisIndex(range)));
                    double dist = Math.hypot(px - x, py - y);
                    if (dist < bestDistance) {
                        bestDistance = dist;
                        best = String.format("%s%n%s = %s, %s = %.5f", data.getSeriesKey(s), domain.getLabel(), number(vx), range.getLabel(), vy);
                    }
                }
            }
        }
        return best;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format("%.5g", v);
    }
}
