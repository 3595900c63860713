package org.nopelab.core.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Draws figures for a result folder; implemented by the charts bundle so core stays free of graphics. */
public interface FigureRenderer {
    void similarityHeatmap(String title, double[][] matrix, Path png) throws IOException;

    /** Adjacency scores against layer, with chance levels. */
    default void scoresByLayer(String title, List<StateMetrics> states, Path png) throws IOException {}

    FigureRenderer NONE = (title, matrix, png) -> {};
}
