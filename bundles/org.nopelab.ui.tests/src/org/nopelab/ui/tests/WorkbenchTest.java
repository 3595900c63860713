package org.nopelab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.navigator.CommonNavigator;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.ui.editor.ExperimentEditor;
import org.nopelab.ui.editor.ExperimentMarkers;
import org.nopelab.ui.editor.Experiments;
import org.nopelab.ui.internal.ChartCanvas;
import org.nopelab.ui.internal.RunExperimentJob;
import org.nopelab.ui.preferences.Setting;
import org.nopelab.ui.preferences.SettingsPage;
import org.nopelab.ui.views.ReferenceView;
import org.nopelab.ui.views.SimilarityView;

/** The workbench as a researcher uses it: menus, navigator, editor, Problems view, runs, charts, export. */
class WorkbenchTest {
    static final Path EXAMPLES = Path.of("../../examples").toAbsolutePath().normalize(); // tycho-surefire runs in the bundle folder

    @TempDir
    Path tmp;

    /** The scenario: default experiment, bad value seen in Problems, fixed, run, a second run cancelled, heatmaps, PNG + SVG. */
    @Test
    void defaultExperimentFromEditorToExportedFigures() throws Exception {
        System.setProperty("nopelab.results", tmp.resolve("results").toString());
        Path experiment = tmp.resolve("random-init-nope.yaml");
        Files.copy(EXAMPLES.resolve("random-init-nope.yaml"), experiment);
        ExperimentEditor editor = Experiments.open(Ui.page(), experiment);
        IDocument doc = editor.document();

        int at = doc.get().indexOf("heads: 4");
        doc.replace(at, "heads: 4".length(), "heads: 0");
        Ui.page().showView(IPageLayout.ID_PROBLEM_VIEW);
        String message = "model.heads: 0 is out of range; allowed 1 <= value <= 64";
        Ui.waitFor("the Problems view lists the marker: " + treeTexts(), () -> treeTexts().contains(message));
        IMarker marker = editor.file().findMarkers(ExperimentMarkers.TYPE, false, IResource.DEPTH_ZERO)[0];
        assertEquals(doc.getLineOfOffset(at) + 1, marker.getAttribute(IMarker.LINE_NUMBER, 0));

        doc.replace(at, "heads: 0".length(), "heads: 4");
        editor.doSave(null);
        Ui.waitFor("fixing the value clears the Problems view", () -> !treeTexts().contains(message));

        // Run Experiment from the editor (the command its context menu, the Run menu and Ctrl+F11 share)
        Ui.page().activate(editor);
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        RunExperimentJob run = (RunExperimentJob) handlers.executeCommand("org.nopelab.ui.run", null);
        Ui.waitFor("the run finishes", () -> run.getResult() != null);
        assertTrue(run.getResult().isOK(), run.getResult().toString());

        RunExperimentJob second = (RunExperimentJob) handlers.executeCommand("org.nopelab.ui.run", null);
        Ui.waitFor("the second run starts", () -> second.getState() == Job.RUNNING);
        // cancel in the middle of the analysis, where a run spends its time: once its first batch is done
        Ui.waitFor("the second run has analysed its first batch", () -> count(org.nopelab.ui.internal.RunConsole.get().getDocument().get(), "batch 1/4") == 2);
        second.cancel();
        long cancelled = System.nanoTime();
        Ui.waitFor("the cancelled run ends", () -> second.getState() == Job.NONE);
        // how fast it stopped is a measurement, not a test (a loaded machine stretches it): printed for the notes
        System.out.printf("cancel of the default experiment: the job stopped %.3f s after cancel()%n", (second.stoppedAt() - cancelled) / 1e9);
        assertEquals(IStatus.CANCEL, second.getResult().getSeverity());
        try (var folders = Files.list(tmp.resolve("results"))) {
            assertEquals(List.of(run.result().getFileName().toString()), folders.map(p -> p.getFileName().toString()).toList(),
                    "the cancelled run left nothing behind");
        }

        SimilarityView view = (SimilarityView) Ui.page().findView(SimilarityView.ID);
        Ui.waitFor("the result opens in the chart view", () -> view.result() != null && view.result().dir().equals(run.result()));
        XYZDataset cells = (XYZDataset) ((XYPlot) view.heatmapCanvas().getChart().getPlot()).getDataset();
        assertEquals(30 * 30, cells.getItemCount(0));
        double[][] layer1 = view.result().matrix(view.result().summary().states().get(1));
        assertEquals(layer1[10][9], cells.getZValue(0, 10 * 30 + 9), 1e-12);
        assertTrue(layer1[10][9] > layer1[10][0], "layer 1 shows the adjacency pattern: the neighbour is more similar than position 0");

        Path png = tmp.resolve("layer1.png"), svg = tmp.resolve("layer1.svg");
        view.canvas("similarity").export(ChartCanvas.Format.png, png);
        view.canvas("similarity").export(ChartCanvas.Format.svg, svg);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(png), 4));
        assertTrue(Files.readString(svg).contains("<svg"));

        IFolder results = Experiments.project().getFolder(Experiments.RESULTS);
        Ui.waitFor("the new result folder appears in the navigator's results folder", () -> results.getFolder(run.result().getFileName().toString()).exists());
        editor.close(false);
    }

    @Test
    void navigatorRunsExperimentsAndOpensResults() throws Exception {
        System.setProperty("nopelab.results", tmp.resolve("results").toString());
        System.setProperty("nopelab.examples", EXAMPLES.toString());
        Path small = tmp.resolve("nav-small.yaml");
        Files.writeString(small, "schema: nopelab/experiment/1\nname: nav-small\nmodel: {d_model: 32, layers: 1, d_ff: 64}\ninput: {seq_len: 10, samples: 8}\n");
        IFile file = Experiments.link(small);
        assertTrue(Experiments.project().getFolder(Experiments.EXAMPLES).getFile("random-init-nope.yaml").exists(), "examples are in the navigator");

        CommonNavigator explorer = (CommonNavigator) Ui.page().showView(IPageLayout.ID_PROJECT_EXPLORER);
        explorer.getCommonViewer().refresh();
        explorer.selectReveal(new StructuredSelection(file));
        Ui.page().activate(explorer);
        Ui.waitFor("the experiment is selected in the active Project Explorer", () -> Ui.page().getActivePart() == explorer
                && file.equals(explorer.getCommonViewer().getStructuredSelection().getFirstElement()));
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        RunExperimentJob run = (RunExperimentJob) handlers.executeCommand("org.nopelab.ui.run", null);
        Ui.waitFor("the run ends", () -> run.getResult() != null);
        assertTrue(run.getResult().isOK(), run.getResult().toString());
        SimilarityView view = (SimilarityView) Ui.page().findView(SimilarityView.ID);
        Ui.waitFor("the result opens", () -> view.result() != null && "nav-small".equals(view.result().summary().experiment()));

        assertTrue(Arrays.stream(explorer.getCommonViewer().getTree().getItems()).anyMatch(i -> i.getText().equals(Experiments.PROJECT)));

        // Open Result on a file inside a result folder opens that folder
        IFolder result = Experiments.project().getFolder(Experiments.RESULTS).getFolder(run.result().getFileName().toString());
        Ui.waitFor("the navigator's results folder shows the new result", result::exists);
        explorer.selectReveal(new StructuredSelection(result.getFile("metrics.json")));
        Ui.page().activate(explorer);
        Ui.waitFor("metrics.json is selected in the Project Explorer", () -> Ui.page().getActivePart() == explorer
                && result.getFile("metrics.json").equals(explorer.getCommonViewer().getStructuredSelection().getFirstElement()));
        assertEquals(run.result(), handlers.executeCommand("org.nopelab.ui.openResult", null));
        assertEquals(run.result(), view.result().dir());
    }

    @Test
    void referenceAndPreferences() {
        ReferenceView reference;
        try {
            reference = (ReferenceView) Ui.page().showView(ReferenceView.ID);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<String> paths = reference.paths();
        assertTrue(paths.containsAll(List.of("model.heads", "model.init.std", "subjects[].pe", "train.steps")), paths.toString());
        assertEquals("0", Setting.THREADS.value(), "defaults come from the initializer");
        assertEquals(Path.of("results").toAbsolutePath().normalize(), withoutProperty(Setting::resultsDir));

        PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(null, "org.nopelab.ui.preferences", null, null);
        dialog.setBlockOnOpen(false);
        dialog.open();
        assertInstanceOf(SettingsPage.class, dialog.getSelectedPage());
        dialog.close();

        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        List<String> menus = Arrays.stream(shell.getMenuBar().getItems()).map(MenuItem::getText).toList();
        assertEquals(List.of("&File", "&Edit", "&Run", "&Window", "&Help"), menus);
        Menu run = shell.getMenuBar().getItems()[2].getMenu();
        run.notifyListeners(SWT.Show, new Event()); // menu contributions fill in when the menu opens
        List<String> items = Arrays.stream(run.getItems()).map(MenuItem::getText).toList();
        run.notifyListeners(SWT.Hide, new Event());
        assertTrue(items.stream().anyMatch(t -> t.startsWith("Run Experiment")), items.toString());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) n++;
        return n;
    }

    private static <T> T withoutProperty(java.util.function.Supplier<T> body) {
        String saved = System.getProperty("nopelab.results");
        System.clearProperty("nopelab.results");
        try {
            return body.get();
        } finally {
            if (saved != null) System.setProperty("nopelab.results", saved);
        }
    }

    /** Every tree item text in the workbench window (expanding each level), e.g. the Problems view's rows. */
    private static List<String> treeTexts() {
        List<String> texts = new ArrayList<>();
        collect(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), texts);
        return texts;
    }

    private static void collect(Control c, List<String> texts) {
        if (c instanceof Tree tree) {
            for (TreeItem item : tree.getItems()) collect(tree, item, texts);
        } else if (c instanceof Composite parent) {
            for (Control child : parent.getChildren()) collect(child, texts);
        }
    }

    private static void collect(Tree tree, TreeItem item, List<String> texts) {
        texts.add(item.getText());
        if (item.getItemCount() > 0 && !item.getExpanded()) {
            Event e = new Event();
            e.item = item;
            tree.notifyListeners(SWT.Expand, e); // the viewer creates the children
            item.setExpanded(true);
        }
        for (TreeItem child : item.getItems()) collect(tree, child, texts);
    }
}
