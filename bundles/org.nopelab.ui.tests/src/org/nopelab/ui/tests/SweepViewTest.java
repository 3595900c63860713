package org.nopelab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.plot.XYPlot;
import org.jfree.data.statistics.HistogramDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.run.ExperimentRunner;
import org.nopelab.core.run.FigureRenderer;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.core.run.SweepSummary;
import org.nopelab.core.theory.Theory;
import org.nopelab.ui.internal.Runs;
import org.nopelab.ui.views.SimilarityView;
import org.nopelab.ui.views.SweepView;

/** A sweep's folder in the Sweep view (small multiples, histogram, sortable table) and the Theory tab of a result. */
class SweepViewTest {
    @TempDir
    Path tmp;

    static final String SWEEP = """
            schema: nopelab/experiment/1
            name: ui-sweep
            model: {vocab_size: 16, d_model: 16, heads: 2, layers: 2, d_ff: 32}
            input: {seq_len: 10, samples: 16}
            analysis: {probes: false, figures: false}
            sweep:
              grid:
                model.init.std: [0.02, 0.3, 1.0]
              seeds: [1, 2]
            """;

    @Test
    void sweepOpensWithOneChartPerCellAHistogramAndASortableTable() throws Exception {
        ExperimentReader.Result in = ExperimentReader.read(SWEEP);
        Path dir = ExperimentRunner.run(in.experiment(), in.resolved(), SWEEP, tmp, FigureRenderer.NONE, RunMonitor.NONE);
        Runs.show(dir); // what Open Result and a finished run do
        Ui.waitFor("a sweep folder opens the Sweep view", () -> Ui.page().findView(SweepView.ID) != null);
        SweepView view = (SweepView) Ui.page().findView(SweepView.ID);
        assertNotNull(view, "a sweep folder opens the Sweep view");
        SweepSummary s = SweepRunner.read(dir);
        Ui.eventually(() -> assertEquals(3, view.cellCharts().size()));
        XYPlot small = view.cellCharts().get(2).getChart().getXYPlot();
        assertEquals(s.value(s.cells().get(2), "random", 1, "ap_nn").mean(), small.getDataset().getYValue(0, 1), 1e-12);

        HistogramDataset h = (HistogramDataset) view.histogram().getChart().getXYPlot().getDataset();
        int counted = 0;
        for (int series = 0; series < h.getSeriesCount(); series++) for (int bin = 0; bin < h.getItemCount(series); bin++) counted += h.getY(series, bin).intValue();
        assertEquals(3, counted, "every configuration is in the histogram once");

        view.sortBy("mean (metric)");
        List<SweepView.Row> rows = view.rows();
        for (int i = 1; i < rows.size(); i++) assertTrue(rows.get(i - 1).value().mean() <= rows.get(i).value().mean(), "ascending");
        view.sortBy("mean (metric)");
        rows = view.rows();
        for (int i = 1; i < rows.size(); i++) assertTrue(rows.get(i - 1).value().mean() >= rows.get(i).value().mean(), "a second click descends");
        // any other score has its own column to sort by, at the chosen layer
        view.sortBy("ap_order");
        rows = view.rows();
        int last = s.layers() - 1;
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(s.value(rows.get(i - 1).cell(), "random", last, "ap_order").mean() <= s.value(rows.get(i).cell(), "random", last, "ap_order").mean(), "sorted by ap_order");
        }

        // the Theory tab of one cell's result: T1 drawn over the measured similarity by distance
        Path cell = SweepRunner.runFolder(dir, s.cells().get(0).id(), 1);
        Runs.show(cell);
        Ui.waitFor("the cell's result opens in the Similarity view", () -> Ui.page().findView(SimilarityView.ID) instanceof SimilarityView v
                && v.result() != null && v.result().dir().startsWith(cell) && v.canvas("theory").getChart() != null);
        SimilarityView similarity = (SimilarityView) Ui.page().findView(SimilarityView.ID);
        XYPlot theory = similarity.canvas("theory").getChart().getXYPlot();
        assertEquals(3, theory.getDataset().getSeriesCount(), "measured, T1, K");
        assertEquals(1.0, theory.getDataset().getYValue(1, 0), 1e-12, "T1 at distance 0 is 1");
        double[][] t1 = Theory.matrix(Theory.Kind.t1, 10, 0);
        double mean1 = 0;
        for (int i = 1; i < 10; i++) mean1 += t1[i][i - 1] / 9;
        assertEquals(mean1, theory.getDataset().getYValue(1, 1), 1e-12, "T1 at distance 1 is the mean of sqrt(i/(i+1))");
    }
}
