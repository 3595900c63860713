package org.nopelab.ui.internal;

import java.awt.Rectangle;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.jface.dialogs.MessageDialog;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.event.ChartChangeEvent;
import org.jfree.chart.event.ChartChangeListener;
import org.jfree.swt.SWTGraphics2D;
import org.nopelab.charts.ChartFiles;

/**
 * A JFreeChart drawn natively on an SWT canvas through SWTGraphics2D (no AWT frame, no SWT_AWT bridge).
 * Repaints when the chart changes. Zoom: drag a rectangle or turn the mouse wheel; double-click (or the
 * context menu) restores the full view. The tooltip gives the exact value under the pointer. The context
 * menu exports PNG, SVG and the data as CSV.
 */
public final class ChartCanvas extends Canvas {
    private JFreeChart chart;
    private int paints;
    private String message = "";
    private boolean square;
    private final ChartChangeListener repaint = (ChartChangeEvent e) -> redraw();
    /** Where the last paint put the plot's data area: zoom and tooltips map pointer positions through it. */
    private final ChartRenderingInfo info = new ChartRenderingInfo(null);
    private final ChartZoom zoom = new ChartZoom();
    private Point dragStart;
    private Rectangle2D dragBox;

    public ChartCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        addPaintListener(e -> paint(e.gc));
        Menu menu = new Menu(this);
        for (Format f : Format.values()) {
            MenuItem item = new MenuItem(menu, SWT.PUSH);
            item.setText(f.label);
            item.addListener(SWT.Selection, e -> chooseAndExport(f));
        }
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem reset = new MenuItem(menu, SWT.PUSH);
        reset.setText("Reset zoom");
        reset.addListener(SWT.Selection, e -> resetZoom());
        setMenu(menu);
        addListener(SWT.MouseDown, e -> {
            if (e.button == 1 && chart != null) dragStart = new Point(e.x, e.y);
        });
        addListener(SWT.MouseMove, e -> {
            if (dragStart != null) {
                dragBox = new Rectangle2D.Double(Math.min(dragStart.x, e.x), Math.min(dragStart.y, e.y),
                        Math.abs(e.x - dragStart.x), Math.abs(e.y - dragStart.y));
                redraw();
            } else {
                String tip = valueAt(e.x, e.y);
                if (!java.util.Objects.equals(tip, getToolTipText())) setToolTipText(tip);
            }
        });
        addListener(SWT.MouseUp, e -> {
            if (dragBox != null && dragBox.getWidth() > 4 && dragBox.getHeight() > 4) zoomTo(dragBox);
            dragStart = null;
            dragBox = null;
            redraw();
        });
        addListener(SWT.MouseDoubleClick, e -> resetZoom());
        addListener(SWT.MouseExit, e -> setToolTipText(null)); // no stale value once the pointer has left
        addListener(SWT.MouseVerticalWheel, e -> zoomAround(e.x, e.y, e.count > 0 ? 0.8 : 1.25));
    }

    /** Zooms to a rectangle given in canvas pixels. */
    public void zoomTo(Rectangle2D box) {
        zoom.zoomTo(chart, info, box);
    }

    /** Zooms by a factor (< 1 in, > 1 out) about a canvas point. */
    public void zoomAround(int x, int y, double factor) {
        zoom.zoomAround(chart, info, new Point2D.Double(x, y), factor);
    }

    /** Restores the axis ranges the chart had when it was set. */
    public void resetZoom() {
        zoom.reset(chart);
    }

    /** The exact value under a canvas point, as the tooltip shows it; null outside the data. */
    public String valueAt(int x, int y) {
        return ChartValues.at(chart, info, x, y);
    }

    /** The plot's data area in canvas pixels as last painted. */
    public Rectangle2D dataArea() {
        return (Rectangle2D) info.getPlotInfo().getDataArea().clone();
    }

    /** Keeps the plot roughly square (heatmaps: a cell is as wide as it is high), centred in the canvas. */
    public void setSquare(boolean on) {
        square = on;
        redraw();
    }

    /** Shown instead of a chart when there is none (why it is empty, what to do). */
    public void setMessage(String text) {
        message = text == null ? "" : text;
        redraw();
    }

    /** What a chart can be exported as; the data goes out as CSV. */
    public enum Format {
        png("Export PNG...", "*.png"), svg("Export SVG...", "*.svg"), csv("Export data (CSV)...", "*.csv");

        final String label, pattern;

        Format(String label, String pattern) {
            this.label = label;
            this.pattern = pattern;
        }
    }

    /** Writes the chart at the canvas's size (at least 640 x 480) or its data. */
    public void export(Format format, Path file) throws IOException {
        if (chart == null) throw new IOException("there is no chart to export yet");
        org.eclipse.swt.graphics.Rectangle area = getClientArea();
        int w = Math.max(640, area.width), h = Math.max(480, area.height);
        switch (format) {
            case png -> ChartFiles.png(chart, file, w, h);
            case svg -> ChartFiles.svg(chart, file, w, h);
            case csv -> ChartFiles.csv(chart, file);
        }
    }

    private void chooseAndExport(Format format) {
        FileDialog dialog = new FileDialog(getShell(), SWT.SAVE);
        dialog.setText(format.label.replace("...", ""));
        dialog.setFilterExtensions(new String[] {format.pattern});
        dialog.setOverwrite(true);
        String title = chart == null || chart.getTitle() == null ? "chart" : chart.getTitle().getText();
        dialog.setFileName(title.replaceAll("[^A-Za-z0-9._-]+", "-") + "." + format.name());
        String file = dialog.open();
        if (file == null) return;
        try {
            export(format, Path.of(file));
        } catch (IOException e) {
            MessageDialog.openError(getShell(), "Export failed", e.getMessage());
        }
    }

    public void setChart(JFreeChart next) {
        if (chart != null) chart.removeChangeListener(repaint);
        chart = next;
        zoom.remember(chart);
        if (chart != null) chart.addChangeListener(repaint);
        redraw();
    }

    public JFreeChart getChart() {
        return chart;
    }

    /** How often a chart was painted: lets tests see that drawing happened. */
    public int paintCount() {
        return paints;
    }

    /** Title and axis take ~70 px of height, axis and colour legend ~110 px of width. */
    private Rectangle chartArea(org.eclipse.swt.graphics.Rectangle area) {
        if (!square) return new Rectangle(0, 0, area.width, area.height);
        int w = area.width, h = area.height;
        if (w - 110 < h - 70) h = Math.max(100, w - 40);
        else w = Math.max(100, h + 40);
        return new Rectangle((area.width - w) / 2, (area.height - h) / 2, w, h);
    }

    private void paint(GC gc) {
        org.eclipse.swt.graphics.Rectangle area = getClientArea();
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        gc.fillRectangle(area);
        if (chart == null && !message.isEmpty()) {
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
            gc.drawText(message, 12, 12, true);
        }
        if (chart == null || area.width <= 0 || area.height <= 0) return;
        SWTGraphics2D g2 = new SWTGraphics2D(gc);
        try {
            chart.draw(g2, chartArea(area), null, info);
            paints++;
        } finally {
            g2.dispose();
        }
        if (dragBox != null) {
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
            gc.setLineStyle(SWT.LINE_DASH);
            gc.drawRectangle((int) dragBox.getX(), (int) dragBox.getY(), (int) dragBox.getWidth(), (int) dragBox.getHeight());
        }
    }
}
