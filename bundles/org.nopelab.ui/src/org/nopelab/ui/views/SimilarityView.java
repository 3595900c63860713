package org.nopelab.ui.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.ui.part.ViewPart;
import org.jfree.chart.JFreeChart;
import org.nopelab.charts.ColourMap;
import org.nopelab.charts.SimilarityHeatmap;
import org.nopelab.core.monitor.TrainingPoint;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.ScoreResult;
import org.nopelab.core.run.StateMetrics;
import org.nopelab.core.train.Trainer;
import org.nopelab.ui.editor.ExperimentEditor;
import org.nopelab.ui.editor.Experiments;
import org.nopelab.ui.internal.ChartCanvas;
import org.nopelab.ui.internal.ResultCharts;
import org.nopelab.ui.internal.RunExperimentJob;
import org.nopelab.ui.internal.Runs;
import org.nopelab.ui.preferences.Setting;

/**
 * One result folder: per-layer self-similarity heatmaps (layer selector and slider, optionally one colour
 * scale for every layer and subject), adjacency scores by layer, subjects side by side with their difference
 * map, variance, probes and training curves, where position lives (lag profile with its theory, order recovered
 * from the similarities) and what each block's attention does (mean matrix per head, entropy, sink rate, offset R^2). Opens the folder named by -Dnopelab.result, else the newest one
 * in the result location; -Dnopelab.run=FILE starts a run of FILE at once, -Dnopelab.edit=FILE edits it.
 */
public final class SimilarityView extends ViewPart {
    public static final String ID = "org.nopelab.ui.views.similarity";

    private Label source;
    private Combo subjectSelector;
    private Combo compareSelector;
    private Combo stateSelector;
    private Scale stateSlider;
    private Button sharedScale;
    private Label scoreLine;
    private ChartCanvas heatmap, scores, compareA, compareB, difference, variance, probes, predictions, training, theory, theoryRow;
    private ChartCanvas lag, order, attention, entropy;
    private Combo headSelector;
    private Button firstSequence;
    private final List<ResultFolder> subjects = new ArrayList<>();
    private ResultFolder result;
    private int subject;
    private double[] sharedRange; // computed once per opened result, when asked for
    private int liveUpdates;
    /** Draws the training curve of a running job as it grows (the job calls on its own thread). */
    private final BiConsumer<RunExperimentJob, List<TrainingPoint>> live = (job, rows) -> {
        if (training == null || training.isDisposed()) return;
        training.getDisplay().asyncExec(() -> {
            if (training.isDisposed() || job.getState() != org.eclipse.core.runtime.jobs.Job.RUNNING) return;
            training.setChart(ResultCharts.liveTraining(job.getName().replaceFirst("^Run ", "") + " - training (running)", rows));
            liveUpdates++;
        });
    };

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        bar.setLayout(new GridLayout(8, false));
        new Label(bar, SWT.NONE).setText("Subject:");
        subjectSelector = combo(bar, 110, () -> showSubject(subjectSelector.getSelectionIndex()));
        new Label(bar, SWT.NONE).setText("vs");
        compareSelector = combo(bar, 110, this::showCompare);
        compareSelector.setToolTipText("The subject the Compare tab sets beside the selected one");
        new Label(bar, SWT.NONE).setText("State:");
        stateSelector = combo(bar, 120, () -> showState(stateSelector.getSelectionIndex()));
        stateSlider = new Scale(bar, SWT.HORIZONTAL);
        GridData slider = new GridData(SWT.FILL, SWT.CENTER, true, false);
        slider.minimumWidth = 100;
        stateSlider.setLayoutData(slider);
        stateSlider.setToolTipText("Slide through the layers");
        stateSlider.addListener(SWT.Selection, e -> showState(stateSlider.getSelection()));
        sharedScale = new Button(bar, SWT.CHECK);
        sharedScale.setText("One scale");
        sharedScale.setToolTipText("One colour scale for every layer and subject of the result, so colours compare across heatmaps");
        sharedScale.addListener(SWT.Selection, e -> showState(stateSelector.getSelectionIndex()));
        Action exportAll = new Action("Export all charts...") {
            @Override
            public void run() {
                chooseAndExportAll();
            }
        };
        exportAll.setToolTipText("Every chart of this result (all layers, all subjects) as PNG, SVG and CSV");
        getViewSite().getActionBars().getMenuManager().add(exportAll);
        source = new Label(parent, SWT.NONE);
        source.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
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
        // the two subjects side by side, their difference below: three squares fit a view beside the editor
        SashForm compare = new SashForm(tabs, SWT.VERTICAL);
        SashForm pair = new SashForm(compare, SWT.HORIZONTAL);
        compareA = new ChartCanvas(pair);
        compareB = new ChartCanvas(pair);
        difference = new ChartCanvas(compare);
        for (ChartCanvas c : new ChartCanvas[] {heatmap, compareA, compareB, difference}) c.setSquare(true);
        tab(tabs, "Compare", compare);
        variance = new ChartCanvas(tabs);
        tab(tabs, "Variance", variance);
        SashForm probeCharts = new SashForm(tabs, SWT.HORIZONTAL);
        probes = new ChartCanvas(probeCharts);
        predictions = new ChartCanvas(probeCharts);
        tab(tabs, "Probes", probeCharts);
        training = new ChartCanvas(tabs);
        tab(tabs, "Training", training);
        // T1 holds for uniform attention without residual, K for the parameter-free layer (paper-spec §3)
        SashForm theoryCharts = new SashForm(tabs, SWT.HORIZONTAL);
        theory = new ChartCanvas(theoryCharts);
        theoryRow = new ChartCanvas(theoryCharts);
        tab(tabs, "Theory", theoryCharts);
        SashForm position = new SashForm(tabs, SWT.HORIZONTAL);
        lag = new ChartCanvas(position);
        order = new ChartCanvas(position);
        tab(tabs, "Position", position);
        Composite attentionTab = new Composite(tabs, SWT.NONE);
        attentionTab.setLayout(new GridLayout(3, false));
        new Label(attentionTab, SWT.NONE).setText("Head (of the selected state's block):");
        headSelector = combo(attentionTab, 90, () -> showAttention(stateSelector.getSelectionIndex()));
        firstSequence = new Button(attentionTab, SWT.CHECK);
        firstSequence.setText("First sequence only (else the mean over sequences)");
        firstSequence.addListener(SWT.Selection, e -> showAttention(stateSelector.getSelectionIndex()));
        SashForm attentionCharts = new SashForm(attentionTab, SWT.HORIZONTAL);
        attentionCharts.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        attention = new ChartCanvas(attentionCharts);
        attention.setSquare(true);
        entropy = new ChartCanvas(attentionCharts);
        tab(tabs, "Attention", attentionTab);
        tabs.setSelection(0);
        RunExperimentJob.addTrainingListener(live);

        initialFolder().ifPresentOrElse(this::open, () -> source.setText("No result yet: Run Experiment (Ctrl+F11) or Open Result."));
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

    private static Combo combo(Composite bar, int width, Runnable onSelect) {
        Combo c = new Combo(bar, SWT.READ_ONLY | SWT.DROP_DOWN);
        c.setLayoutData(new GridData(width, SWT.DEFAULT));
        c.addListener(SWT.Selection, e -> onSelect.run());
        return c;
    }

    private static Optional<Path> initialFolder() {
        String one = System.getProperty("nopelab.result");
        if (one != null && !one.isBlank()) return Optional.of(Path.of(one));
        Path root = Setting.resultsDir();
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(ResultFolder::isResult).max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Opens an experiment file (linked into the Experiments project) in the experiment editor. */
    public ExperimentEditor edit(Path file) throws CoreException {
        return Experiments.open(getSite().getPage(), file);
    }

    /** Schedules a run of an experiment file into the results folder; shows its result when it succeeds. */
    public RunExperimentJob run(Path experiment) {
        return Runs.start(experiment);
    }

    /** Shows a result folder (for a paired result, its first subject beside its second), starting after the input layer. */
    public void open(Path dir) {
        if (org.nopelab.core.run.SweepRunner.isSweep(dir)) { // a sweep has its own view
            getSite().getShell().getDisplay().asyncExec(() -> Runs.show(dir));
            return;
        }
        List<ResultFolder> opened = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (Path p : ResultFolder.subjects(dir)) {
                opened.add(ResultFolder.open(p));
                names.add(p.equals(dir) ? "(single)" : p.getFileName().toString());
            }
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot open result", e.getMessage());
            return;
        }
        subjects.clear();
        subjects.addAll(opened);
        sharedRange = null;
        String[] items = names.toArray(String[]::new);
        subjectSelector.setItems(items);
        subjectSelector.setEnabled(items.length > 1);
        compareSelector.setItems(items);
        compareSelector.setEnabled(items.length > 1);
        compareSelector.select(Math.min(1, items.length - 1));
        source.setToolTipText(dir.toAbsolutePath().toString());
        showSubject(0);
    }

    /** Shows one subject of the open result by index. */
    public void showSubject(int index) {
        if (index < 0 || index >= subjects.size()) return;
        subject = index;
        subjectSelector.select(index);
        result = subjects.get(index);
        List<StateMetrics> states = result.summary().states();
        stateSelector.setItems(states.stream().map(StateMetrics::name).toArray(String[]::new));
        stateSlider.setMinimum(0);
        stateSlider.setMaximum(Math.max(1, states.size() - 1));
        stateSlider.setPageIncrement(1);
        stateSlider.setEnabled(states.size() > 1);
        var trained = result.summary().training();
        source.setText(result.summary().experiment() + "  -  " + result.summary().samples() + " sequences x "
                + result.summary().positions() + " positions"
                + (trained == null ? "  -  random init" : String.format("  -  trained on %s, held-out accuracy %.3f", trained.task(), trained.tokenAccuracy()))
                + (result.summary().schedule() == null ? "" : "  -  " + result.summary().schedule()));
        scores.setChart(ResultCharts.scores(result));
        variance.setChart(ResultCharts.variance(result));
        probes.setChart(ResultCharts.probes(result));
        probes.setMessage("This result has no probes (analysis.probes: false).");
        try {
            training.setChart(ResultCharts.training(result));
        } catch (IOException e) {
            training.setChart(null);
        }
        training.setMessage("A random-init result has no training curve.");
        order.setChart(org.nopelab.charts.PositionCharts.orderByLayer(result.summary().experiment() + " - order recovered from the similarities",
                result.summary().states()));
        order.setMessage("This result has no order recovery (analysis.order: false, or analysed before it existed).");
        showState(Math.min(1, states.size() - 1));
        source.getParent().layout();
    }

    /** Selects a state by its index in the result (0 = the input layer). */
    public void showState(int index) {
        if (result == null || index < 0 || index >= result.summary().states().size()) return;
        StateMetrics s = result.summary().states().get(index);
        stateSelector.select(index);
        stateSlider.setSelection(index);
        try {
            double[][] m = result.matrix(s);
            double[] range = sharedScale.getSelection() ? sharedRange() : SimilarityHeatmap.range(m);
            heatmap.setChart(heatmap(result.summary().experiment() + " - " + s.name(), m, range));
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
        predictions.setChart(ResultCharts.probePredictions(result, s));
        try {
            theory.setChart(ResultCharts.theory(result, s, false));
            theoryRow.setChart(ResultCharts.theory(result, s, true));
        } catch (IOException e) {
            theory.setChart(null);
            theory.setMessage("Cannot read the matrices: " + e.getMessage());
        }
        lag.setChart(s.lag() == null ? null : org.nopelab.charts.PositionCharts.lagProfile(result.summary().experiment() + " - " + s.name() + ": lag profile", s.lag()));
        lag.setMessage("This result has no lag profile (analysed before it existed).");
        showAttention(index);
        scoreLine.getParent().layout();
        showCompare();
    }

    /** The Attention tab: the block the selected state comes out of (block 1 for the input layer), one head's mean matrix and every head's entropy. */
    private void showAttention(int stateIndex) {
        var blocks = result.summary().attention();
        if (blocks == null || blocks.isEmpty()) {
            headSelector.setItems();
            attention.setChart(null);
            entropy.setChart(null);
            attention.setMessage("This result has no attention statistics (analysis.attention: false, sequences over "
                    + org.nopelab.core.experiment.AnalysisConfig.ATTENTION_MAX_POSITIONS + " positions, or analysed before they existed).");
            return;
        }
        int layer = Math.max(1, result.summary().states().get(stateIndex).layer());
        var block = blocks.get(Math.min(layer, blocks.size()) - 1);
        int head = Math.max(0, Math.min(headSelector.getSelectionIndex(), block.heads().size() - 1));
        headSelector.setItems(block.heads().stream().map(h -> "head " + h.head()).toArray(String[]::new));
        headSelector.select(head);
        var h = block.heads().get(head);
        try {
            boolean one = firstSequence.getSelection() && h.firstSequence() != null;
            attention.setChart(org.nopelab.charts.PositionCharts.attention(String.format("%s - block %d, head %d: %s (sink %.2f, offset R^2 %.2f)",
                    result.summary().experiment(), block.layer(), h.head(), one ? "first sequence" : "mean attention", h.sinkRate(), h.offsetR2()),
                    result.attentionMatrix(h, one), ColourMap.named(Setting.COLOUR_MAP.value())));
        } catch (IOException e) {
            attention.setChart(null);
            attention.setMessage("Cannot read " + h.matrix() + ": " + e.getMessage());
        }
        entropy.setChart(org.nopelab.charts.PositionCharts.entropy(result.summary().experiment() + " - block " + block.layer() + ": attention entropy", block));
    }

    /**
     * The Compare tab: the selected subject and the "vs" subject at the selected state on one colour scale,
     * and their difference (selected minus other) on a diverging scale.
     */
    private void showCompare() {
        int other = compareSelector.getSelectionIndex();
        String state = stateSelector.getText();
        ChartCanvas[] canvases = {compareA, compareB, difference};
        if (subjects.size() < 2 || other < 0 || other == subject) {
            for (ChartCanvas c : canvases) c.setChart(null);
            compareA.setMessage(subjects.size() < 2
                    ? "Compare needs a result with two or more subjects (e.g. random and trained; see examples/train-modp.yaml)."
                    : "Choose a different subject after \"vs\" to compare.");
            return;
        }
        ResultFolder b = subjects.get(other);
        Optional<StateMetrics> sa = result.state(state), sb = b.state(state);
        if (sa.isEmpty() || sb.isEmpty()) {
            for (ChartCanvas c : canvases) c.setChart(null);
            compareA.setMessage(compareSelector.getText() + " has no state " + state + ".");
            return;
        }
        try {
            double[][] ma = result.matrix(sa.get()), mb = b.matrix(sb.get());
            if (ma.length != mb.length) {
                for (ChartCanvas c : canvases) c.setChart(null);
                compareA.setMessage("The subjects were analysed at different lengths (" + ma.length + " and " + mb.length + " positions).");
                return;
            }
            double[] range = sharedScale.getSelection() ? sharedRange() : SimilarityHeatmap.range(ma, mb);
            compareA.setChart(heatmap(subjectSelector.getText() + " - " + state, ma, range));
            compareB.setChart(heatmap(compareSelector.getText() + " - " + state, mb, range));
            difference.setChart(SimilarityHeatmap.difference(subjectSelector.getText() + " minus " + compareSelector.getText(), ma, mb));
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot read matrix", e.getMessage());
        }
    }

    private static JFreeChart heatmap(String title, double[][] m, double[] range) {
        return ResultCharts.heatmap(title, m, range, ColourMap.named(Setting.COLOUR_MAP.value()));
    }

    /** Writes every chart of the open result (all states of all subjects) as PNG, SVG and CSV into dir. */
    public List<Path> exportAll(Path dir) throws IOException {
        List<String> names = new ArrayList<>(List.of(subjectSelector.getItems()));
        return ResultCharts.exportAll(subjects, names, dir, ColourMap.named(Setting.COLOUR_MAP.value()));
    }

    private void chooseAndExportAll() {
        if (subjects.isEmpty()) return;
        DirectoryDialog dialog = new DirectoryDialog(getSite().getShell());
        dialog.setText("Export every chart of " + source.getText() + " (PNG, SVG, CSV)");
        String dir = dialog.open();
        if (dir == null) return;
        try {
            List<Path> files = exportAll(Path.of(dir));
            MessageDialog.openInformation(getSite().getShell(), "Export all charts", files.size() + " files written to " + dir);
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Export failed", e.getMessage());
        }
    }

    /** The off-diagonal range over every state of every subject of the open result. */
    private double[] sharedRange() throws IOException {
        if (sharedRange == null) {
            List<double[][]> all = new ArrayList<>();
            for (ResultFolder r : subjects) for (StateMetrics s : r.summary().states()) all.add(r.matrix(s));
            sharedRange = SimilarityHeatmap.range(all.toArray(double[][][]::new));
        }
        return sharedRange;
    }

    /** Selects the subject the Compare tab sets beside the selected one. */
    public void compareWith(int index) {
        compareSelector.select(index);
        showCompare();
    }

    /** Turns the one-colour-scale-for-everything option on or off. */
    public void shareScale(boolean on) {
        sharedScale.setSelection(on);
        showState(stateSelector.getSelectionIndex());
    }

    private static void tab(CTabFolder tabs, String name, Control control) {
        CTabItem item = new CTabItem(tabs, SWT.NONE);
        item.setText(name);
        item.setControl(control);
    }

    /** The canvas of a chart: similarity, scores, compare-a, compare-b, difference, variance, probes, predictions, training, theory, theory-row. */
    public ChartCanvas canvas(String which) {
        return switch (which) {
            case "similarity" -> heatmap;
            case "scores" -> scores;
            case "compare-a" -> compareA;
            case "compare-b" -> compareB;
            case "difference" -> difference;
            case "variance" -> variance;
            case "probes" -> probes;
            case "predictions" -> predictions;
            case "training" -> training;
            case "theory" -> theory;
            case "theory-row" -> theoryRow;
            case "lag" -> lag;
            case "order" -> order;
            case "attention" -> attention;
            case "entropy" -> entropy;
            default -> throw new IllegalArgumentException(which);
        };
    }

    /** Picks a head of the Attention tab, as the head selector does, and its mean or first-sequence matrix. */
    public void showHead(int head, boolean first) {
        headSelector.select(head);
        firstSequence.setSelection(first);
        showAttention(stateSelector.getSelectionIndex());
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

    /** How many times a running job's training curve was drawn. */
    public int liveUpdates() {
        return liveUpdates;
    }

    @Override
    public void dispose() {
        RunExperimentJob.removeTrainingListener(live);
        super.dispose();
    }

    @Override
    public void setFocus() {
        stateSelector.setFocus();
    }
}
