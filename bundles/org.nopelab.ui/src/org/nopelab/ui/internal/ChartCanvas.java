package org.nopelab.ui.internal;

import java.awt.Rectangle;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.event.ChartChangeEvent;
import org.jfree.chart.event.ChartChangeListener;
import org.jfree.swt.SWTGraphics2D;

/**
 * A JFreeChart drawn natively on an SWT canvas through SWTGraphics2D (no AWT frame, no SWT_AWT bridge).
 * Repaints when the chart changes.
 */
public final class ChartCanvas extends Canvas {
    private JFreeChart chart;
    private int paints;
    private final ChartChangeListener repaint = (ChartChangeEvent e) -> redraw();

    public ChartCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        addPaintListener(e -> paint(e.gc));
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
