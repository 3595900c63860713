package org.nopelab.charts;

import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;

/** The numbers behind a chart as CSV: series,x,y for line charts and x,y,z for heatmaps. */
public final class ChartData {
    private ChartData() {}

    public static List<String> csv(JFreeChart chart) {
        List<String> lines = new ArrayList<>();
        if (!(chart.getPlot() instanceof XYPlot plot)) return lines;
        XYDataset data = plot.getDataset();
        if (data instanceof XYZDataset xyz) {
            lines.add(plot.getDomainAxis().getLabel().replace(' ', '_') + "," + plot.getRangeAxis().getLabel().replace(' ', '_') + ",value");
            for (int i = 0; i < xyz.getItemCount(0); i++) lines.add(xyz.getXValue(0, i) + "," + xyz.getYValue(0, i) + "," + xyz.getZValue(0, i));
            return lines;
        }
        if (data instanceof org.jfree.data.xy.YIntervalSeriesCollection bands) {
            lines.add("series,x,y,ci95_low,ci95_high");
            for (int s = 0; s < bands.getSeriesCount(); s++) {
                for (int i = 0; i < bands.getItemCount(s); i++) lines.add(bands.getSeriesKey(s) + "," + bands.getXValue(s, i) + ","
                        + bands.getYValue(s, i) + "," + bands.getStartYValue(s, i) + "," + bands.getEndYValue(s, i));
            }
            return lines;
        }
        lines.add("series,x,y");
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) lines.add(data.getSeriesKey(s) + "," + data.getXValue(s, i) + "," + data.getYValue(s, i));
        }
        return lines;
    }
}
