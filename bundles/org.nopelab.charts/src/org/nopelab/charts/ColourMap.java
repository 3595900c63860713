package org.nopelab.charts;

import java.awt.Color;
import java.awt.Paint;

import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.PaintScale;

/** Perceptually ordered colour scale for similarity values (viridis anchor colours, linearly blended). */
public final class ColourMap {
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725};
    private static final int STEPS = 128;

    private ColourMap() {}

    /** Values outside [low, high] take the end colours, so a range can leave out the diagonal's 1s. */
    public static PaintScale viridis(double low, double high) {
        if (!(high > low)) high = low + 1e-9; // a constant matrix still needs a valid scale
        LookupPaintScale lookup = new LookupPaintScale(low, high, Color.GRAY);
        for (int k = 0; k < STEPS; k++) {
            double f = k / (double) (STEPS - 1);
            lookup.add(low + f * (high - low), colour(f));
        }
        double lo = low, hi = high;
        return new PaintScale() {
            @Override public double getLowerBound() { return lo; }
            @Override public double getUpperBound() { return hi; }
            @Override public Paint getPaint(double value) { return lookup.getPaint(Math.max(lo, Math.min(hi, value))); }
        };
    }

    static Color colour(double f) {
        double x = Math.max(0, Math.min(1, f)) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double t = x - i;
        Color a = new Color(VIRIDIS[i]), b = new Color(VIRIDIS[i + 1]);
        return new Color((int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }
}
