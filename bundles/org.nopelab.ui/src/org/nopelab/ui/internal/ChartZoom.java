package org.nopelab.ui.internal;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;

/**
 * Zoom of an XY chart through JFreeChart's own Zoomable API (what its Swing ChartPanel does), with the axis
 * ranges the chart started with kept so a reset restores exactly them (heatmaps have fixed half-cell margins
 * that auto-ranging would not give back).
 */
final class ChartZoom {
    private final Map<ValueAxis, Range> initial = new LinkedHashMap<>();

    void remember(JFreeChart chart) {
        initial.clear();
        if (chart == null || !(chart.getPlot() instanceof XYPlot p)) return;
        for (int i = 0; i < p.getDomainAxisCount(); i++) if (p.getDomainAxis(i) != null) initial.put(p.getDomainAxis(i), p.getDomainAxis(i).getRange());
        for (int i = 0; i < p.getRangeAxisCount(); i++) if (p.getRangeAxis(i) != null) initial.put(p.getRangeAxis(i), p.getRangeAxis(i).getRange());
    }

    void reset(JFreeChart chart) {
        if (chart == null) return;
        initial.forEach((axis, range) -> axis.setRange(range, true, true));
    }

    void zoomTo(JFreeChart chart, ChartRenderingInfo info, Rectangle2D box) {
        if (chart == null || !(chart.getPlot() instanceof XYPlot p)) return;
        PlotRenderingInfo plotInfo = info.getPlotInfo();
        Rectangle2D area = plotInfo.getDataArea();
        Rectangle2D sel = box.createIntersection(area);
        if (area.getWidth() <= 0 || area.getHeight() <= 0 || sel.isEmpty()) return;
        double hLow = (sel.getMinX() - area.getMinX()) / area.getWidth(), hHigh = (sel.getMaxX() - area.getMinX()) / area.getWidth();
        double vLow = (area.getMaxY() - sel.getMaxY()) / area.getHeight(), vHigh = (area.getMaxY() - sel.getMinY()) / area.getHeight();
        Point2D centre = new Point2D.Double(sel.getCenterX(), sel.getCenterY());
        boolean notify = p.isNotify();
        p.setNotify(false); // one repaint for both axes
        p.zoomDomainAxes(hLow, hHigh, plotInfo, centre);
        p.zoomRangeAxes(vLow, vHigh, plotInfo, centre);
        p.setNotify(notify);
    }

    void zoomAround(JFreeChart chart, ChartRenderingInfo info, Point2D at, double factor) {
        if (chart == null || !(chart.getPlot() instanceof XYPlot p) || !info.getPlotInfo().getDataArea().contains(at)) return;
        boolean notify = p.isNotify();
        p.setNotify(false);
        p.zoomDomainAxes(factor, info.getPlotInfo(), at, true);
        p.zoomRangeAxes(factor, info.getPlotInfo(), at, true);
        p.setNotify(notify);
    }
}
