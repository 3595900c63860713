package org.nopelab.charts;

import java.awt.Color;
import java.awt.Paint;
import java.util.Arrays;
import java.util.List;

import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.PaintScale;

/**
 * Colour scales for heatmaps: perceptually ordered sequential maps for similarities (anchor colours of
 * matplotlib's maps, linearly blended) and a diverging map for differences, white at zero.
 */
public enum ColourMap {
    viridis(0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725),
    magma(0x000004, 0x180F3D, 0x440F76, 0x721F81, 0x9E2F7F, 0xCD4071, 0xF1605D, 0xFD9668, 0xFECA8D, 0xFCFDBF),
    grey(0x000000, 0xFFFFFF),
    /** Blue (negative) - white (0) - red (positive): ColorBrewer RdBu reversed. */
    difference(0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B);

    private static final int STEPS = 128;
    private final int[] anchors;

    ColourMap(int... anchors) {
        this.anchors = anchors;
    }

    /** The maps for similarity values (the preference page offers these). */
    public static List<ColourMap> sequential() {
        return Arrays.stream(values()).filter(m -> m != difference).toList();
    }

    /** The named sequential map, viridis for an unknown name. */
    public static ColourMap named(String name) {
        return sequential().stream().filter(m -> m.name().equals(name)).findFirst().orElse(viridis);
    }

    /** Values outside [low, high] take the end colours, so a range can leave out the diagonal's 1s. */
    public PaintScale scale(double low, double high) {
        if (!(high > low)) high = low + 1e-9; // a constant matrix still needs a valid scale
        LookupPaintScale lookup = new LookupPaintScale(low, high, Color.GRAY);
        for (int k = 0; k < STEPS; k++) {
            double f = k / (double) (STEPS - 1);
            lookup.add(low + f * (high - low), at(f));
        }
        double lo = low, hi = high;
        return new PaintScale() {
            @Override public double getLowerBound() { return lo; }
            @Override public double getUpperBound() { return hi; }
            @Override public Paint getPaint(double value) { return lookup.getPaint(Math.max(lo, Math.min(hi, value))); }
        };
    }

    /** The colour at fraction f in [0, 1] of the map. */
    public Color at(double f) {
        double x = Math.max(0, Math.min(1, f)) * (anchors.length - 1);
        int i = Math.min((int) x, anchors.length - 2);
        double t = x - i;
        Color a = new Color(anchors[i]), b = new Color(anchors[i + 1]);
        return new Color((int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }

    /** Series colours of line charts: viridis, so they match the heatmaps' default. */
    static Color colour(double f) {
        return viridis.at(f);
    }
}
