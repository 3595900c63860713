package org.nopelab.ui.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.part.ViewPart;
import org.nopelab.charts.LineCharts;
import org.nopelab.charts.ScoreChart;
import org.nopelab.charts.SimilarityHeatmap;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.ScoreResult;
import org.nopelab.core.run.StateMetrics;
import org.nopelab.ui.editor.ExperimentEditor;
import org.nopelab.ui.editor.Experiments;
import org.nopelab.ui.internal.ChartCanvas;
import org.nopelab.ui.internal.RunExperimentJob;

/**
 * Per-layer self-similarity heatmaps of one result folder, a state selector, and the adjacency scores by
 * layer beside them. Opens the folder named by -Dnopelab.result, else the newest one under
 * -Dnopelab.results (default ./results); -Dnopelab.run=FILE starts a run of FILE at once, -Dnopelab.edit=FILE opens it in the editor.
 */
public final class SimilarityView extends ViewPart {
    public static final String ID = "org.nopelab.ui.views.similarity";

    private Label source;
    private Combo subjectSelector;
    private Combo stateSelector;
    private List<Path> subjectFolders = List.of();
    private Label scoreLine;
    private ChartCanvas heatmap;
    private ChartCanvas scores;
    private ChartCanvas variance;
    private ChartCanvas probes;
    private ChartCanvas training;
    private ResultFolder result;

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        bar.setLayout(new GridLayout(5, false));
        // commands live in the view's toolbar, so the bar keeps its width for the selectors
        IToolBarManager toolbar = getViewSite().getActionBars().getToolBarManager();
        toolbar.add(action("Open experiment...", "Edit an experiment file, validated as you type", this::chooseAndEdit));
        toolbar.add(action("Run experiment...", "Run an experiment file as a background job; its result opens here when done", this::chooseAndRun));
        toolbar.add(action("Open result...", "Open a result folder", this::chooseFolder));
        new Label(bar, SWT.NONE).setText("Subject:");
        subjectSelector = new Combo(bar, SWT.READ_ONLY | SWT.DROP_DOWN);
        subjectSelector.setLayoutData(new GridData(120, SWT.DEFAULT));
        subjectSelector.addListener(SWT.Selection, e -> showSubject(subjectSelector.getSelectionIndex()));
        new Label(bar, SWT.NONE).setText("State:");
        stateSelector = new Combo(bar, SWT.READ_ONLY | SWT.DROP_DOWN);
        stateSelector.setLayoutData(new GridData(140, SWT.DEFAULT));
        stateSelector.addListener(SWT.Selection, e -> showState(stateSelector.getSelectionIndex()));
        source = new Label(bar, SWT.NONE);
        source.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        scoreLine = new Label(parent, SWT.WRAP);
        GridData wrap = new GridData(SWT.FILL, SWT.TOP, true, false);
        wrap.widthHint = 400; // wrap to the view's width instead of widening it
        scoreLine.setLayoutData(wrap);

        CTabFolder tabs = new CTabFolder(parent, SWT.BOTTOM | SWT.FLAT);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        SashForm charts = new SashForm(tabs, SWT.HORIZONTAL);
        heatmap = new ChartCanvas(charts);
        scores = new ChartCanvas(charts);
        charts.setWeights(3, 2);
        tab(tabs, "Similarity", charts);
        variance = new ChartCanvas(tabs);
        tab(tabs, "Variance", variance);
        probes = new ChartCanvas(tabs);
        tab(tabs, "Probes", probes);
        training = new ChartCanvas(tabs);
        tab(tabs, "Training", training);
        tabs.setSelection(0);

        initialFolder().ifPresentOrElse(this::open, () -> source.setText("No result yet: Run experiment... or open a result folder."));
        String runAtStart = System.getProperty("nopelab.run");
        if (runAtStart != null && !runAtStart.isBlank()) run(Path.of(runAtStart));
        String editAtStart = System.getProperty("nopelab.edit");
        if (editAtStart != null && !editAtStart.isBlank()) parent.getDisplay().asyncExec(() -> {
            try {
                edit(Path.of(editAtStart));
            } catch (CoreException e) {
                MessageDialog.openError(getSite().getShell(), "Cannot open experiment", e.getMessage());
            }
        });
    }

    private static Optional<Path> initialFolder() {
        String one = System.getProperty("nopelab.result");
        if (one != null && !one.isBlank()) return Optional.of(Path.of(one));
        Path root = Path.of(System.getProperty("nopelab.results", "results"));
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(ResultFolder::isResult).max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Action action(String text, String tip, Runnable body) {
        Action a = new Action(text) {
            @Override
            public void run() {
                body.run();
            }
        };
        a.setToolTipText(tip);
        return a;
    }

    private void chooseAndEdit() {
        FileDialog dialog = new FileDialog(getSite().getShell(), SWT.OPEN);
        dialog.setText("Open a NoPE Lab experiment");
        dialog.setFilterExtensions(new String[] {"*.yaml;*.yml", "*"});
        String file = dialog.open();
        if (file == null) return;
        try {
            edit(Path.of(file));
        } catch (CoreException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot open experiment", e.getMessage());
        }
    }

    /** Opens an experiment file (linked into the Experiments project) in the experiment editor. */
    public ExperimentEditor edit(Path file) throws CoreException {
        return (ExperimentEditor) IDE.openEditor(getSite().getPage(), Experiments.link(file), ExperimentEditor.ID);
    }

    private void chooseAndRun() {
        FileDialog dialog = new FileDialog(getSite().getShell(), SWT.OPEN);
        dialog.setText("Run a NoPE Lab experiment");
        dialog.setFilterExtensions(new String[] {"*.yaml;*.yml;*.json", "*"});
        String file = dialog.open();
        if (file != null) run(Path.of(file));
    }

    /** Schedules a run of an experiment file into the results folder; shows its result when it succeeds. */
    public RunExperimentJob run(Path experiment) {
        Path out = Path.of(System.getProperty("nopelab.results", "results"));
        RunExperimentJob job = new RunExperimentJob(experiment, out, dir -> heatmap.getDisplay().asyncExec(() -> {
            if (!heatmap.isDisposed()) open(dir);
        }));
        job.schedule();
        return job;
    }

    private void chooseFolder() {
        DirectoryDialog dialog = new DirectoryDialog(getSite().getShell());
        dialog.setText("Open a NoPE Lab result folder");
        String dir = dialog.open();
        if (dir != null) open(Path.of(dir));
    }

    /** Shows a result folder (for a paired result, its first subject), starting after the input layer. */
    public void open(Path dir) {
        try {
            subjectFolders = ResultFolder.subjects(dir);
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot open result", e.getMessage());
            return;
        }
        subjectSelector.setItems(subjectFolders.stream().map(p -> p.equals(dir) ? "(single)" : p.getFileName().toString()).toArray(String[]::new));
        subjectSelector.setEnabled(subjectFolders.size() > 1);
        showSubject(0);
    }

    /** Shows one subject of the open result by index. */
    public void showSubject(int index) {
        if (index < 0 || index >= subjectFolders.size()) return;
        subjectSelector.select(index);
        Path dir = subjectFolders.get(index);
        try {
            result = ResultFolder.open(dir);
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot open result", e.getMessage());
            return;
        }
        List<StateMetrics> states = result.summary().states();
        stateSelector.setItems(states.stream().map(StateMetrics::name).toArray(String[]::new));
        var trained = result.summary().training();
        source.setText(result.summary().experiment() + "  -  " + result.summary().samples() + " sequences x "
                + result.summary().positions() + " positions"
                + (trained == null ? "  -  random init" : String.format("  -  trained on %s, held-out accuracy %.3f", trained.task(), trained.tokenAccuracy())));
        source.setToolTipText(dir.toAbsolutePath().toString());
        scores.setChart(ScoreChart.create("Adjacency by layer", states));
        variance.setChart(LineCharts.variance(result.summary().experiment() + " - variance by position", states));
        probes.setChart(states.get(0).probes() == null ? null : LineCharts.probes(result.summary().experiment() + " - position probes", states));
        try {
            Map<String, double[]> curve = result.trainingCurve();
            training.setChart(curve.isEmpty() ? null : LineCharts.training(result.summary().experiment() + " - training",
                    curve.get("step"), curve.get("loss"), curve.get("eval_token_accuracy")));
        } catch (IOException e) {
            training.setChart(null);
        }
        showState(Math.min(1, states.size() - 1));
        source.getParent().layout();
    }

    /** Selects a state by its index in the result (0 = the input layer). */
    public void showState(int index) {
        if (result == null || index < 0) return;
        StateMetrics s = result.summary().states().get(index);
        stateSelector.select(index);
        try {
            heatmap.setChart(SimilarityHeatmap.create(result.summary().experiment() + " - " + s.name(), result.matrix(s)));
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot read matrix", e.getMessage());
            return;
        }
        StringBuilder line = new StringBuilder(s.name() + " (mean over sequences, 95% interval, chance):");
        for (var e : s.scores().entrySet()) {
            ScoreResult v = e.getValue();
            line.append(String.format("   %s %.3f [%.3f, %.3f] (%.3f)", e.getKey(), v.perSequence().mean(),
                    v.perSequence().ci95Low(), v.perSequence().ci95High(), v.chance()));
        }
        scoreLine.setText(line.toString());
        scoreLine.getParent().layout();
    }

    private static void tab(CTabFolder tabs, String name, org.eclipse.swt.widgets.Control control) {
        CTabItem item = new CTabItem(tabs, SWT.NONE);
        item.setText(name);
        item.setControl(control);
    }

    /** The canvas of a tab's chart: similarity, scores, variance, probes, training. */
    public ChartCanvas canvas(String which) {
        return switch (which) {
            case "similarity" -> heatmap;
            case "scores" -> scores;
            case "variance" -> variance;
            case "probes" -> probes;
            case "training" -> training;
            default -> throw new IllegalArgumentException(which);
        };
    }

    public ResultFolder result() {
        return result;
    }

    public ChartCanvas heatmapCanvas() {
        return heatmap;
    }

    public String selectedState() {
        return stateSelector.getText();
    }

    @Override
    public void setFocus() {
        stateSelector.setFocus();
    }

}
