package org.nopelab.ui.internal;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.jface.dialogs.MessageDialog;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.event.ChartChangeEvent;
import org.jfree.chart.event.ChartChangeListener;
import org.jfree.swt.SWTGraphics2D;
import org.nopelab.charts.ChartFiles;

/**
 * A JFreeChart drawn natively on an SWT canvas through SWTGraphics2D (no AWT frame, no SWT_AWT bridge).
 * Repaints when the chart changes; its context menu exports PNG, SVG and the data as CSV.
 */
public final class ChartCanvas extends Canvas {
    private JFreeChart chart;
    private int paints;
    private final ChartChangeListener repaint = (ChartChangeEvent e) -> redraw();

    public ChartCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        addPaintListener(e -> paint(e.gc));
        Menu menu = new Menu(this);
        for (Format f : Format.values()) {
            MenuItem item = new MenuItem(menu, SWT.PUSH);
            item.setText(f.label);
            item.addListener(SWT.Selection, e -> chooseAndExport(f));
        }
        setMenu(menu);
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

    private void paint(GC gc) {
        org.eclipse.swt.graphics.Rectangle area = getClientArea();
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        gc.fillRectangle(area);
        if (chart == null || area.width <= 0 || area.height <= 0) return;
        SWTGraphics2D g2 = new SWTGraphics2D(gc);
        try {
            chart.draw(g2, new Rectangle(0, 0, area.width, area.height));
            paints++;
        } finally {
            g2.dispose();
        }
    }
}
