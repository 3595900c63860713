package org.nopelab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.run.Analysis;
import org.nopelab.core.run.AnalysisResult;
import org.nopelab.core.run.ExperimentRunner;
import org.nopelab.core.run.FigureRenderer;
import org.nopelab.core.run.ResultWriter;
import org.nopelab.core.run.RunMonitor;
import org.nopelab.ui.internal.ChartCanvas;
import org.nopelab.ui.internal.RunConsole;
import org.nopelab.ui.internal.RunExperimentJob;
import org.nopelab.ui.views.RunsView;
import org.nopelab.ui.views.SimilarityView;

/** Starts the real workbench (UI harness under Xvfb), opens a result and checks the heatmap shows its data. */
class SimilarityViewTest {
    @TempDir
    Path tmp;

    @Test
    void viewShowsTheHeatmapOfTheSelectedLayer() throws Exception {
        assertTrue(PlatformUI.isWorkbenchRunning());
        Display display = Display.getCurrent();
        assertSame(PlatformUI.getWorkbench().getDisplay(), display, "tests run on the UI thread");

        String yaml = "schema: nopelab/experiment/1\nname: ui-test\nmodel: {d_model: 32, layers: 2, d_ff: 64}\ninput: {seq_len: 12, samples: 8}\n";
        ExperimentReader.Result read = ExperimentReader.read(yaml);
        AnalysisResult r = Analysis.run(read.experiment(), RunMonitor.NONE);
        Path dir = ResultWriter.write(r, read.resolved(), yaml, tmp, FigureRenderer.NONE, RunMonitor.NONE);

        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        SimilarityView view = (SimilarityView) page.showView(SimilarityView.ID);
        view.open(dir);
        pump(display, 500);

        assertEquals("layer1", view.selectedState(), "opens on the first layer after the input");
        XYZDataset data = (XYZDataset) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getDataset();
        assertEquals(12 * 12, data.getItemCount(0));
        double[][] expected = r.states().get(1).meanMatrix();
        assertEquals(expected[3][7], data.getZValue(0, 3 * 12 + 7), 1e-12, "cell (i=3, j=7) shows the layer-1 similarity");
        assertTrue(view.heatmapCanvas().paintCount() > 0, "the chart was painted on the SWT canvas");

        int before = view.heatmapCanvas().paintCount();
        view.showState(2);
        pump(display, 300);
        assertEquals("layer2", view.selectedState());
        assertEquals(r.states().get(2).meanMatrix()[5][4], ((XYZDataset) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getDataset()).getZValue(0, 5 * 12 + 4), 1e-12);
        assertTrue(view.heatmapCanvas().paintCount() > before, "selecting a layer repaints");
        assertNotNull(view.result());

        // every chart exports as PNG and SVG, and its data as CSV
        Path png = tmp.resolve("h.png"), svg = tmp.resolve("h.svg"), csv = tmp.resolve("h.csv");
        view.canvas("similarity").export(ChartCanvas.Format.png, png);
        view.canvas("similarity").export(ChartCanvas.Format.svg, svg);
        view.canvas("similarity").export(ChartCanvas.Format.csv, csv);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG document");
        List<String> rows = Files.readAllLines(csv);
        assertEquals(12 * 12 + 1, rows.size(), "header + one row per cell");
        assertEquals(r.states().get(2).meanMatrix()[5][4], Double.parseDouble(rows.get(1 + 5 * 12 + 4).split(",")[2]), 1e-12);
        assertEquals(3, ((XYPlot) view.canvas("variance").getChart().getPlot()).getDataset().getSeriesCount(), "one variance line per layer");
        assertEquals(2, ((XYPlot) view.canvas("probes").getChart().getPlot()).getDataset().getSeriesCount(), "cosine and variance probes");
        assertNull(view.canvas("training").getChart(), "a random-init result has no training curve");
    }

    @Test
    void pairedResultOffersEverySubject() throws Exception {
        String yaml = "schema: nopelab/experiment/1\nname: ui-paired\nsubjects: [{name: nope}, {name: sinusoidal, pe: sinusoidal}]\n"
                + "model: {d_model: 32, layers: 1, d_ff: 64}\ninput: {seq_len: 10, samples: 10}\n";
        ExperimentReader.Result read = ExperimentReader.read(yaml);
        Path dir = ExperimentRunner.run(read.experiment(), read.resolved(), yaml, tmp, FigureRenderer.NONE, RunMonitor.NONE);
        SimilarityView view = (SimilarityView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(SimilarityView.ID);
        view.open(dir);
        pump(Display.getCurrent(), 300);
        assertEquals("ui-paired-nope", view.result().summary().experiment());
        view.showSubject(1);
        pump(Display.getCurrent(), 300);
        assertEquals("ui-paired-sinusoidal", view.result().summary().experiment());
        double[][] expected = view.result().matrix(view.result().summary().states().get(1));
        assertEquals(expected[2][3], ((XYZDataset) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getDataset()).getZValue(0, 2 * 10 + 3), 1e-12);
    }

    @Test
    void runsQueueAsJobsAndCancelLeavesNothing() throws Exception {
        System.setProperty("nopelab.results", tmp.resolve("results").toString());
        SimilarityView view = (SimilarityView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(SimilarityView.ID);
        Path small = tmp.resolve("small.yaml"), large = tmp.resolve("large.yaml");
        Files.writeString(small, "schema: nopelab/experiment/1\nname: job-small\nmodel: {d_model: 32, layers: 1, d_ff: 64}\ninput: {seq_len: 10, samples: 8}\n");
        Files.writeString(large, "schema: nopelab/experiment/1\nname: job-large\nmodel: {d_model: 32, layers: 1, d_ff: 64}\n"
                + "input: {seq_len: 10, samples: 100000}\nanalysis: {batch_size: 8, probes: false}\n");

        RunExperimentJob first = view.run(large);
        Display display = Display.getCurrent();
        long deadline = System.currentTimeMillis() + 20_000;
        while (first.getState() != Job.RUNNING && System.currentTimeMillis() < deadline) pump(display, 20);
        RunExperimentJob second = view.run(small);
        pump(display, 300);
        assertEquals(Job.RUNNING, first.getState());
        RunsView runs = (RunsView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(RunsView.ID);
        pump(display, 200);
        assertEquals(List.of("running", "queued"), runs.runs().stream().map(RunsView.Run::status).toList(), "the Runs view lists both jobs");
        assertEquals(Job.WAITING, second.getState(), "the second run waits for the first (one scheduling rule)");
        first.cancel();
        long cancelled = System.currentTimeMillis();
        while (first.getState() != Job.NONE && System.currentTimeMillis() - cancelled < 5_000) pump(display, 10);
        assertEquals(Job.NONE, first.getState(), "cancel stops the run promptly");
        assertEquals(IStatus.CANCEL, first.getResult().getSeverity());
        assertNull(first.result());

        deadline = System.currentTimeMillis() + 60_000;
        while (second.getResult() == null && System.currentTimeMillis() < deadline) pump(display, 20);
        pump(display, 300);
        assertTrue(second.getResult().isOK(), second.getResult().toString());
        assertEquals("job-small", view.result().summary().experiment(), "the finished run's result opens in the view");
        try (var folders = Files.list(tmp.resolve("results"))) {
            assertEquals(List.of(second.result().getFileName().toString()), folders.map(p -> p.getFileName().toString()).toList(),
                    "only the completed run left a folder");
        }
        assertTrue(RunConsole.get().getDocument().get().contains("result folder: "), "progress is mirrored to the console");
        RunsView.Run done = runs.runs().get(0);
        assertEquals(List.of("done"), runs.runs().stream().map(RunsView.Run::status).toList(), "the cancelled run left no row");
        assertEquals("job-small", done.experiment());
        assertTrue(done.headline().matches("\\d\\.\\d{3} \\(\\d\\.\\d{3}\\)"), done.headline());
    }

    private static void pump(Display display, long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (!display.readAndDispatch()) {
                try { Thread.sleep(10); } catch (InterruptedException e) { Thread.currentThread().interrupt(); return; }
            }
        }
    }
}
