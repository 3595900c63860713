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
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.charts.SimilarityHeatmap;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.monitor.RunMonitor;
import org.nopelab.core.run.Analysis;
import org.nopelab.core.run.AnalysisResult;
import org.nopelab.core.run.ExperimentRunner;
import org.nopelab.core.run.FigureRenderer;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.ResultWriter;
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
        Ui.eventually(() -> {
            assertEquals("layer1", view.selectedState(), "opens on the first layer after the input");
            XYZDataset data = (XYZDataset) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getDataset();
            assertEquals(12 * 12, data.getItemCount(0));
            double[][] expected = r.states().get(1).meanMatrix();
            assertEquals(expected[3][7], data.getZValue(0, 3 * 12 + 7), 1e-12, "cell (i=3, j=7) shows the layer-1 similarity");
            assertTrue(view.heatmapCanvas().paintCount() > 0, "the chart was painted on the SWT canvas");
        });

        int before = view.heatmapCanvas().paintCount();
        view.showState(2);
        Ui.eventually(() -> {
            assertEquals("layer2", view.selectedState());
            assertEquals(r.states().get(2).meanMatrix()[5][4], ((XYZDataset) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getDataset()).getZValue(0, 5 * 12 + 4), 1e-12);
            assertTrue(view.heatmapCanvas().paintCount() > before, "selecting a layer repaints");
        });
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
        XYPlot probePlot = (XYPlot) view.canvas("probes").getChart().getPlot();
        assertEquals(3, probePlot.getDataset().getSeriesCount(), "cosine and variance probes, and the relative-distance probe");
        assertEquals(r.states().get(2).relativeProbe().r2(), probePlot.getDataset().getYValue(2, 2), 1e-12, "relative probe at layer 2");
        assertNull(view.canvas("training").getChart(), "a random-init result has no training curve");
        XYPlot predicted = (XYPlot) view.canvas("predictions").getChart().getPlot();
        double[] mean = r.states().get(2).probes().get(org.nopelab.core.probe.PositionProbe.Features.cosine).meanPrediction();
        assertEquals(11, mean.length, "one mean prediction per true position 1..11");
        assertEquals(mean[4], predicted.getDataset().getYValue(0, 4), 1e-12, "cosine probe's mean prediction for position 5");

        // Position tab: layer2's lag profile (4 bins, each with its theory) and |tau| / |rho| of layers 0-2
        XYPlot lag = (XYPlot) view.canvas("lag").getChart().getPlot();
        assertEquals(8, lag.getDataset().getSeriesCount(), "four query bins, each measured and uniform-attention theory");
        var profile = r.states().get(2).lag();
        assertEquals(profile.cosine()[3][2], lag.getDataset().getYValue(6, 2), 1e-12, "last bin, lag 2");
        XYPlot order = (XYPlot) view.canvas("order").getChart().getPlot();
        assertEquals(3, order.getDataset().getItemCount(0), "one |tau| per residual-stream state");
        assertEquals(r.states().get(1).order().tau().mean(), order.getDataset().getYValue(0, 1), 1e-12);
        // Attention tab: block 2 (the selected state's), head 1's mean matrix and every head's entropy
        view.showHead(1, false);
        var head1 = r.attention().get(1).heads().get(1);
        XYZDataset attention = (XYZDataset) ((XYPlot) view.canvas("attention").getChart().getPlot()).getDataset();
        assertEquals(head1.meanMatrix()[6][2], attention.getZValue(0, 6 * 12 + 2), 1e-9, "block 2, head 1, cell (6, 2)");
        assertEquals(r.attention().get(1).heads().size() + 1, ((XYPlot) view.canvas("entropy").getChart().getPlot()).getDataset().getSeriesCount(),
                "one entropy line per head and uniform attention's");
        view.showHead(1, true); // one sequence's attention instead of the mean
        XYZDataset one = (XYZDataset) ((XYPlot) view.canvas("attention").getChart().getPlot()).getDataset();
        assertEquals(head1.firstMatrix()[6][2], one.getZValue(0, 6 * 12 + 2), 1e-6, "first sequence, cell (6, 2)");
    }

    @Test
    void pairedResultOffersEverySubject() throws Exception {
        String yaml = "schema: nopelab/experiment/1\nname: ui-paired\nsubjects: [{name: nope}, {name: sinusoidal, pe: sinusoidal}]\n"
                + "model: {d_model: 32, layers: 1, d_ff: 64}\ninput: {seq_len: 10, samples: 10}\n";
        ExperimentReader.Result read = ExperimentReader.read(yaml);
        Path dir = ExperimentRunner.run(read.experiment(), read.resolved(), yaml, tmp, FigureRenderer.NONE, RunMonitor.NONE);
        SimilarityView view = (SimilarityView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(SimilarityView.ID);
        view.open(dir);
        Ui.eventually(() -> assertEquals("ui-paired-nope", view.result().summary().experiment()));
        view.showSubject(1);
        Ui.eventually(() -> assertEquals("ui-paired-sinusoidal", view.result().summary().experiment()));
        var nope = ResultFolder.open(dir.resolve("subjects/nope"));
        var sin = ResultFolder.open(dir.resolve("subjects/sinusoidal"));
        double[][] a = nope.matrix(nope.summary().states().get(1)), b = sin.matrix(sin.summary().states().get(1));
        Ui.eventually(() -> assertEquals(b[2][3], ((XYZDataset) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getDataset()).getZValue(0, 2 * 10 + 3), 1e-12));

        // Compare tab: sinusoidal beside nope on one colour scale, and their difference cell by cell
        view.showSubject(0);
        view.compareWith(1);
        Ui.eventually(() -> {
            XYPlot left = (XYPlot) view.canvas("compare-a").getChart().getPlot(), right = (XYPlot) view.canvas("compare-b").getChart().getPlot();
            assertEquals(b[4][1], ((XYZDataset) right.getDataset()).getZValue(0, 4 * 10 + 1), 1e-12);
            PaintScale sa = ((XYBlockRenderer) left.getRenderer()).getPaintScale(), sb = ((XYBlockRenderer) right.getRenderer()).getPaintScale();
            assertEquals(sa.getLowerBound(), sb.getLowerBound(), 0, "side by side on one scale");
            assertEquals(Math.min(SimilarityHeatmap.range(a)[0], SimilarityHeatmap.range(b)[0]), sa.getLowerBound(), 1e-12);
            XYZDataset diff = (XYZDataset) ((XYPlot) view.canvas("difference").getChart().getPlot()).getDataset();
            assertEquals(a[6][2] - b[6][2], diff.getZValue(0, 6 * 10 + 2), 1e-12);
        });

        // one scale for every layer and subject
        view.shareScale(true);
        double low = Double.POSITIVE_INFINITY;
        for (var r : List.of(nope, sin)) for (var st : r.summary().states()) low = Math.min(low, SimilarityHeatmap.range(r.matrix(st))[0]);
        double shared = low;
        Ui.eventually(() -> assertEquals(shared, ((XYBlockRenderer) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getRenderer()).getPaintScale().getLowerBound(), 1e-12));
        view.shareScale(false);

        // every chart of the result at once
        List<Path> files = view.exportAll(tmp.resolve("all"));
        assertTrue(files.contains(tmp.resolve("all/nope-similarity-layer1.svg")), files.toString());
        assertTrue(files.contains(tmp.resolve("all/difference-nope-minus-sinusoidal-layer1.png")), files.toString());
        for (Path f : files) assertTrue(Files.size(f) > 0, f + " is empty");
    }

    @Test
    void heatmapZoomsAndTellsTheValueUnderThePointer() throws Exception {
        String yaml = "schema: nopelab/experiment/1\nname: ui-zoom\nmodel: {d_model: 32, layers: 1, d_ff: 64}\ninput: {seq_len: 10, samples: 8}\n";
        ExperimentReader.Result read = ExperimentReader.read(yaml);
        Path dir = ExperimentRunner.run(read.experiment(), read.resolved(), yaml, tmp, FigureRenderer.NONE, RunMonitor.NONE);
        SimilarityView view = (SimilarityView) Ui.page().showView(SimilarityView.ID);
        view.open(dir);
        Ui.waitFor("the result is shown", () -> view.result() != null && "ui-zoom".equals(view.result().summary().experiment()));
        ChartCanvas canvas = view.heatmapCanvas();
        XYPlot plot = (XYPlot) canvas.getChart().getPlot();
        double[][] m = view.result().matrix(view.result().summary().states().get(1));
        // the pixel centre of cell (i=7, j=2), from the axes of the last paint
        java.awt.geom.Rectangle2D area = canvasDataArea(canvas, plot);
        int x = (int) plot.getDomainAxis().valueToJava2D(2, area, plot.getDomainAxisEdge());
        int y = (int) plot.getRangeAxis().valueToJava2D(7, area, plot.getRangeAxisEdge());
        assertEquals(String.format("position i = 7, position j = 2%ncosine similarity = %.5f", m[7][2]), canvas.valueAt(x, y));
        assertNull(canvas.valueAt(1, 1), "no value outside the data area");

        canvas.zoomTo(new java.awt.geom.Rectangle2D.Double(area.getMinX(), area.getMinY(), area.getWidth() / 2, area.getHeight() / 2));
        assertEquals(-0.5, plot.getDomainAxis().getLowerBound(), 1e-9);
        assertEquals(4.5, plot.getDomainAxis().getUpperBound(), 1e-9, "the left half of the columns");
        assertEquals(4.5, plot.getRangeAxis().getUpperBound(), 1e-9, "the top half of the rows (i runs down)");
        canvas.resetZoom();
        assertEquals(9.5, plot.getDomainAxis().getUpperBound(), 1e-12);
        assertEquals(9.5, plot.getRangeAxis().getUpperBound(), 1e-12);
    }

    @Test
    void trainingCurveGrowsWhileTheRunTrains() throws Exception {
        System.setProperty("nopelab.results", tmp.resolve("results").toString());
        Path file = tmp.resolve("live.yaml");
        Files.writeString(file, "schema: nopelab/experiment/1\nname: live\ntask: {name: modp, p: 7}\n"
                + "train: {steps: 300, batch_size: 8, eval_interval: 20, eval_samples: 16, checkpoint_interval: 300}\n"
                + "subjects: [{name: trained, trained: true}]\nmodel: {vocab_size: 9, d_model: 16, heads: 2, layers: 1, d_ff: 32}\n"
                + "input: {seq_len: 8, samples: 8}\nanalysis: {probes: false}\n");
        SimilarityView view = (SimilarityView) Ui.page().showView(SimilarityView.ID);
        int before = view.liveUpdates();
        RunExperimentJob job = view.run(file);
        Ui.waitFor("two live redraws or the end of the run", () -> view.liveUpdates() >= before + 2 || job.getResult() != null);
        assertTrue(view.liveUpdates() >= before + 2, "the curve was redrawn while training ran");
        Ui.waitFor("the run ends", () -> job.getResult() != null);
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        List<Integer> steps = job.trainingCurve().stream().map(r -> r.step()).toList();
        assertEquals(List.of(20, 40, 60), steps.subList(0, 3));
        assertEquals(300, steps.get(steps.size() - 1));
        Ui.waitFor("the finished run replaces the live curve with its result", () -> view.result() != null && view.result().dir().startsWith(job.result()));
        Ui.eventually(() -> assertTrue(view.canvas("training").getChart().getTitle().getText().startsWith("live-trained"), "the stored curve, not the live one"));
    }

    /** The data area the last paint used, recovered through the canvas's own value lookup. */
    private static java.awt.geom.Rectangle2D canvasDataArea(ChartCanvas canvas, XYPlot plot) {
        Ui.waitFor("the heatmap is painted", () -> canvas.paintCount() > 0);
        return canvas.dataArea();
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
        Ui.waitFor("the large run starts", () -> first.getState() == Job.RUNNING);
        RunExperimentJob second = view.run(small);
        Ui.waitFor("the small run queues behind the large one (one scheduling rule)", () -> second.getState() == Job.WAITING);
        assertEquals(Job.RUNNING, first.getState(), "100,000 sequences take far longer than this test waits");
        RunsView runs = (RunsView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(RunsView.ID);
        Ui.eventually(() -> assertEquals(List.of("running", "queued"), runs.runs().stream().map(RunsView.Run::status).toList(), "the Runs view lists both jobs"));
        assertEquals(Job.WAITING, second.getState(), "the second run waits for the first (one scheduling rule)");
        // how fast cancel stops a run is measured outside the tests (the closing note); here: that it stops, cleanly
        first.cancel();
        Ui.waitFor("the cancelled run ends", () -> first.getState() == Job.NONE);
        assertEquals(IStatus.CANCEL, first.getResult().getSeverity());
        assertNull(first.result());

        Ui.waitFor("the small run ends", () -> second.getResult() != null);
        assertTrue(second.getResult().isOK(), second.getResult().toString());
        Ui.eventually(() -> assertEquals("job-small", view.result().summary().experiment(), "the finished run's result opens in the view"));
        try (var folders = Files.list(tmp.resolve("results"))) {
            assertEquals(List.of(second.result().getFileName().toString()), folders.map(p -> p.getFileName().toString()).toList(),
                    "only the completed run left a folder");
        }
        Ui.eventually(() -> assertTrue(RunConsole.get().getDocument().get().contains("result folder: "), "progress is mirrored to the console"));
        Ui.eventually(() -> assertEquals(List.of("done"), runs.runs().stream().map(RunsView.Run::status).toList(), "the cancelled run left no row"));
        RunsView.Run done = runs.runs().get(0);
        assertEquals("job-small", done.experiment());
        assertEquals("1", done.seed(), "the schema's default seed");
        assertTrue(done.headline().matches("\\d\\.\\d{3} \\(\\d\\.\\d{3}\\)"), done.headline());
    }
}
