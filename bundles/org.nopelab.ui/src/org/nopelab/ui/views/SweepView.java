package org.nopelab.ui.views;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.ui.part.ViewPart;
import org.nopelab.charts.StudyCharts;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.core.run.SweepSummary;
import org.nopelab.ui.internal.ChartCanvas;
import org.nopelab.ui.internal.Runs;
import org.nopelab.ui.internal.Tables;

/**
 * A sweep's folder: one small chart per cell (the chosen metric by layer, mean over seeds with its 95% band),
 * a histogram of the metric at one layer across the cells, and a table of the cells sortable by any column.
 * Double-clicking a row opens that cell's first seed in the Similarity view.
 */
public final class SweepView extends ViewPart {
    public static final String ID = "org.nopelab.ui.views.sweep";

    private Label source;
    private Combo metric, subject, layer;
    private Composite multiples;
    private ScrolledComposite scroller;
    private ChartCanvas histogram;
    private TableViewer table;
    private final List<ChartCanvas> cellCharts = new ArrayList<>();
    private SweepSummary sweep;
    private Path dir;

    /** A table row: one cell with the chosen metric at the chosen layer. */
    public record Row(SweepSummary.Cell cell, Estimate value) {}

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayout(new GridLayout(6, false));
        new Label(bar, SWT.NONE).setText("Metric:");
        metric = combo(bar, 170);
        new Label(bar, SWT.NONE).setText("Subject:");
        subject = combo(bar, 100);
        new Label(bar, SWT.NONE).setText("Layer (histogram, table):");
        layer = combo(bar, 80);
        source = new Label(parent, SWT.WRAP);
        source.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        source.setText("No sweep open: run an experiment file with a sweep section (e.g. examples/paper/4-boundary.yaml) or Open Result on a sweep folder.");

        CTabFolder tabs = new CTabFolder(parent, SWT.BOTTOM | SWT.FLAT);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        scroller = new ScrolledComposite(tabs, SWT.V_SCROLL);
        multiples = new Composite(scroller, SWT.NONE);
        multiples.setLayout(new GridLayout(3, true));
        scroller.setContent(multiples);
        scroller.setExpandHorizontal(true);
        scroller.setExpandVertical(true);
        tab(tabs, "Small multiples", scroller);
        histogram = new ChartCanvas(tabs);
        tab(tabs, "Histogram", histogram);
        table = new TableViewer(tabs, SWT.FULL_SELECTION | SWT.SINGLE | SWT.V_SCROLL | SWT.H_SCROLL);
        table.getTable().setHeaderVisible(true);
        table.getTable().setLinesVisible(true);
        table.setContentProvider(ArrayContentProvider.getInstance());
        table.addDoubleClickListener(e -> {
            Row r = (Row) ((IStructuredSelection) e.getSelection()).getFirstElement();
            if (r != null && !r.cell().seedsDone().isEmpty()) Runs.show(SweepRunner.runFolder(dir, r.cell().id(), r.cell().seedsDone().get(0)));
        });
        tab(tabs, "Table", table.getControl());
        tabs.setSelection(0);
    }

    private Combo combo(Composite bar, int width) {
        Combo c = new Combo(bar, SWT.READ_ONLY | SWT.DROP_DOWN);
        c.setLayoutData(new GridData(width, SWT.DEFAULT));
        c.addListener(SWT.Selection, e -> refresh());
        return c;
    }

    private static void tab(CTabFolder tabs, String name, org.eclipse.swt.widgets.Control c) {
        CTabItem item = new CTabItem(tabs, SWT.NONE);
        item.setText(name);
        item.setControl(c);
    }

    /** Opens a sweep folder (one with sweep.json). */
    public void open(Path folder) {
        try {
            sweep = SweepRunner.read(folder);
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Cannot open sweep", e.getMessage());
            return;
        }
        dir = folder;
        List<String> metrics = sweep.metricNames().stream().filter(m -> !m.endsWith("_chance")).toList();
        metric.setItems(metrics.toArray(String[]::new));
        metric.select(Math.max(0, metrics.indexOf("ap_nn")));
        subject.setItems(sweep.subjectNames().toArray(String[]::new));
        subject.select(0);
        subject.setEnabled(sweep.subjectNames().size() > 1);
        layer.setItems(IntStream.range(0, sweep.layers()).mapToObj(l -> "layer" + l).toArray(String[]::new));
        layer.select(sweep.layers() - 1);
        source.setText(sweep.experiment() + "  -  " + sweep.cells().size() + " cells x " + sweep.seeds().size() + " seeds, " + sweep.runsDone() + " of "
                + sweep.runs() + " runs done" + (sweep.complete() ? "" : org.nopelab.core.cluster.SlurmSweep.isSubmitted(folder)
                        ? " (on Slurm: the Runs view shows each cell; sweep submit again runs the failed ones)" : " (incomplete: run the file again to resume)") + "  -  grid: " + String.join(", ", sweep.grid().keySet()));
        source.setToolTipText(folder.toAbsolutePath().toString());
        rebuildColumns();
        refresh();
    }

    private void refresh() {
        if (sweep == null) return;
        String m = metric.getText(), s = subject.getText();
        int l = layer.getSelectionIndex();
        for (ChartCanvas c : cellCharts) c.dispose();
        cellCharts.clear();
        double[] layers = IntStream.range(0, sweep.layers()).asDoubleStream().toArray();
        // one y range for every small chart, so heights compare across cells
        double low = 0, high = 0;
        for (SweepSummary.Cell c : sweep.cells()) {
            for (int k = 0; k < sweep.layers(); k++) {
                Estimate e = sweep.value(c, s, k, m);
                if (e != null && Double.isFinite(e.ci95High())) { high = Math.max(high, e.ci95High()); low = Math.min(low, e.ci95Low()); }
            }
        }
        double pad = 0.05 * Math.max(high - low, 1e-9);
        for (SweepSummary.Cell c : sweep.cells()) {
            Estimate[] y = IntStream.range(0, sweep.layers()).mapToObj(k -> sweep.value(c, s, k, m)).toArray(Estimate[]::new);
            Estimate chance = m.equals("ap_nn") ? sweep.value(c, s, 1, "ap_nn_chance") : null;
            ChartCanvas chart = new ChartCanvas(multiples);
            GridData size = new GridData(SWT.FILL, SWT.FILL, true, false);
            size.heightHint = 220;
            chart.setLayoutData(size);
            var jf = StudyCharts.estimates(c.label(), "layer", m, List.of(new StudyCharts.Line(m, layers, y)), chance == null ? null : chance.mean(), false);
            jf.removeLegend();
            jf.getXYPlot().getRangeAxis().setRange(low - (low < 0 ? pad : 0), high + pad);
            jf.getTitle().setFont(jf.getTitle().getFont().deriveFont(11f));
            chart.setChart(jf);
            cellCharts.add(chart);
        }
        scroller.setMinSize(multiples.computeSize(SWT.DEFAULT, SWT.DEFAULT));
        multiples.layout(true);

        Map<String, List<Double>> groups = new LinkedHashMap<>();
        String firstAxis = sweep.grid().keySet().iterator().next();
        List<Row> rows = new ArrayList<>();
        for (SweepSummary.Cell c : sweep.cells()) {
            Estimate e = sweep.value(c, s, l, m);
            rows.add(new Row(c, e));
            if (e != null) groups.computeIfAbsent(firstAxis + "=" + c.values().get(firstAxis).asText(), k -> new ArrayList<>()).add(e.mean());
        }
        Map<String, double[]> hist = new LinkedHashMap<>();
        groups.forEach((k, v) -> hist.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        histogram.setChart(hist.isEmpty() ? null : StudyCharts.histogram(m + " at layer" + l + " across " + sweep.cells().size() + " configurations (mean over seeds)",
                m, hist, Math.max(5, Math.min(20, sweep.cells().size() / 2))));
        table.setInput(rows);
    }

    private void rebuildColumns() {
        for (TableColumn c : table.getTable().getColumns()) c.dispose();
        column("cell", 150, r -> r.cell().id(), r -> (double) r.cell().index());
        for (String axis : sweep.grid().keySet()) {
            column(axis, 120, r -> r.cell().values().get(axis).asText(),
                    r -> r.cell().values().get(axis).isNumber() ? r.cell().values().get(axis).asDouble() : null);
        }
        column("mean (metric)", 100, r -> r.value() == null ? "" : String.format("%.4f", r.value().mean()), r -> r.value() == null ? null : r.value().mean());
        column("95% interval (metric)", 160, r -> r.value() == null ? "" : String.format("[%.4f, %.4f]", r.value().ci95Low(), r.value().ci95High()),
                r -> r.value() == null ? null : r.value().ci95Low());
        column("seeds", 60, r -> String.valueOf(r.cell().seedsDone().size()), r -> (double) r.cell().seedsDone().size());
        // every other score at the chosen subject and layer, so the table sorts configurations by any of them
        for (String metric : sweep.metricNames()) {
            if (metric.endsWith("_chance")) continue;
            column(metric, 110, r -> {
                Estimate e = sweep.value(r.cell(), subject.getText(), layer.getSelectionIndex(), metric);
                return e == null ? "" : String.format("%.4f", e.mean());
            }, r -> {
                Estimate e = sweep.value(r.cell(), subject.getText(), layer.getSelectionIndex(), metric);
                return e == null ? null : e.mean();
            });
        }
    }

    /** A column that sorts by its number when it has one, else by its text; a second click reverses. */
    private void column(String title, int width, java.util.function.Function<Row, String> text, java.util.function.Function<Row, Double> number) {
        TableViewerColumn c = Tables.column(table, title, width, text);
        c.getColumn().addListener(SWT.Selection, e -> {
            var t = table.getTable();
            int direction = t.getSortColumn() == c.getColumn() && t.getSortDirection() == SWT.UP ? SWT.DOWN : SWT.UP;
            t.setSortColumn(c.getColumn());
            t.setSortDirection(direction);
            table.setComparator(new ViewerComparator() {
                @Override
                public int compare(Viewer v, Object a, Object b) {
                    Double x = number.apply((Row) a), y = number.apply((Row) b);
                    int r = x != null && y != null ? Double.compare(x, y) : x != null ? -1 : y != null ? 1 : text.apply((Row) a).compareTo(text.apply((Row) b));
                    return direction == SWT.UP ? r : -r;
                }
            });
        });
    }

    /** For tests: the table's rows in display order, the small charts, the histogram. */
    public List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < table.getTable().getItemCount(); i++) out.add((Row) table.getElementAt(i));
        return out;
    }

    /** The open sweep's folder and summary (null before one is opened), for tests. */
    public Path folder() {
        return dir;
    }

    public SweepSummary summary() {
        return sweep;
    }

    public List<ChartCanvas> cellCharts() {
        return List.copyOf(cellCharts);
    }

    public ChartCanvas histogram() {
        return histogram;
    }

    /** Sorts the table by a column, as a click on its header does. */
    public void sortBy(String title) {
        for (TableColumn c : table.getTable().getColumns()) if (c.getText().equals(title)) c.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
    }

    @Override
    public void setFocus() {
        metric.setFocus();
    }
}
