package org.nopelab.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.JFreeChart;
import org.nopelab.charts.ChartFiles;
import org.nopelab.charts.ColourMap;
import org.nopelab.charts.LineCharts;
import org.nopelab.charts.ScoreChart;
import org.nopelab.charts.SimilarityHeatmap;
import org.nopelab.core.monitor.TrainingPoint;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.StateMetrics;
import org.nopelab.core.train.Trainer;

/** The charts of one subject of a result, built one way for the views and for "Export all charts". */
public final class ResultCharts {
    private ResultCharts() {}

    public static JFreeChart heatmap(String title, double[][] m, double[] range, ColourMap map) {
        return SimilarityHeatmap.create(title, m, range[0], range[1], map, "cosine similarity");
    }

    public static JFreeChart scores(ResultFolder r) {
        return ScoreChart.create(r.summary().experiment() + " - adjacency by layer", r.summary().states());
    }

    public static JFreeChart variance(ResultFolder r) {
        return LineCharts.variance(r.summary().experiment() + " - variance by position", r.summary().states());
    }

    /** Null when the result has no probes. */
    public static JFreeChart probes(ResultFolder r) {
        List<StateMetrics> states = r.summary().states();
        return states.get(0).probes() == null ? null : LineCharts.probes(r.summary().experiment() + " - position probes", states);
    }

    /** Predicted vs true position of one state's probes; null without probes. */
    public static JFreeChart probePredictions(ResultFolder r, StateMetrics s) {
        return LineCharts.probePredictions(r.summary().experiment() + " - " + s.name() + " probes", s);
    }

    /**
     * The selected state's similarity by distance with the T1 prediction and K's (alpha measured on the input
     * layer) drawn over it; {@code row} instead shows one position's row of the mean matrix against the theories' rows.
     */
    public static JFreeChart theory(ResultFolder r, StateMetrics s, boolean row) throws IOException {
        double[][] m = r.matrix(s);
        int n = m.length;
        StateMetrics input = r.summary().states().get(0);
        double alpha = org.nopelab.core.theory.Theory.alpha(r.matrix(input));
        double[][] t1 = org.nopelab.core.theory.Theory.matrix(org.nopelab.core.theory.Theory.Kind.t1, n, 0);
        double[][] k = org.nopelab.core.theory.Theory.matrix(org.nopelab.core.theory.Theory.Kind.k, n, alpha);
        Map<String, double[]> theories = new LinkedHashMap<>();
        String kName = String.format("K (alpha %.3f from %s)", alpha, input.name());
        if (row) {
            double[] x = java.util.stream.IntStream.range(1, n + 1).asDoubleStream().toArray();
            theories.put("T1", t1[n - 1]);
            theories.put(kName, k[n - 1]);
            return org.nopelab.charts.StudyCharts.theoryOverlay(r.summary().experiment() + " - " + s.name() + ": row of position " + n, "position j",
                    "cos(h_" + n + ", h_j)", x, m[n - 1], s.name(), theories);
        }
        double[] x = java.util.stream.IntStream.range(0, n).asDoubleStream().toArray();
        theories.put("T1", org.nopelab.core.metrics.PositionSignals.similarityByDistance(t1));
        theories.put(kName, org.nopelab.core.metrics.PositionSignals.similarityByDistance(k));
        return org.nopelab.charts.StudyCharts.theoryOverlay(r.summary().experiment() + " - " + s.name() + ": similarity by distance vs theory",
                "distance |i - j|", "mean cosine", x, s.similarityByDistance(), s.name(), theories);
    }

    /** Null for a random-init result. */
    public static JFreeChart training(ResultFolder r) throws IOException {
        Map<String, double[]> curve = r.trainingCurve();
        if (curve.isEmpty()) return null;
        JFreeChart chart = LineCharts.training(r.summary().experiment() + " - training", curve.get("step"), curve.get("loss"), curve.get("eval_token_accuracy"));
        var t = r.summary().training();
        if (t != null && t.lengthGeneralisation() != null && !t.lengthGeneralisation().isEmpty()) { // how the trained model does at other lengths
            chart.addSubtitle(new org.jfree.chart.title.TextTitle("length generalisation, " + t.accuracyName() + ": "
                    + org.nopelab.core.train.LengthGeneralisation.describe(t.lengthGeneralisation())));
        }
        return chart;
    }

    /** The curve of a run still training, from its evaluation points so far. */
    public static JFreeChart liveTraining(String title, List<TrainingPoint> rows) {
        double[] step = rows.stream().mapToDouble(TrainingPoint::step).toArray();
        double[] loss = rows.stream().mapToDouble(TrainingPoint::loss).toArray();
        double[] accuracy = rows.stream().mapToDouble(TrainingPoint::evalTokenAccuracy).toArray();
        return LineCharts.training(title, step, loss, accuracy);
    }

    /**
     * Every chart of a result as PNG, SVG and CSV into dir: per subject the heatmap of every state, scores,
     * variance, probes and training; with several subjects, the difference of each from the first per state.
     * Returns the files written.
     */
    public static List<Path> exportAll(List<ResultFolder> subjects, List<String> names, Path dir, ColourMap map) throws IOException {
        Files.createDirectories(dir);
        Map<String, JFreeChart> charts = new LinkedHashMap<>();
        for (int k = 0; k < subjects.size(); k++) {
            ResultFolder r = subjects.get(k);
            String prefix = subjects.size() == 1 ? "" : names.get(k) + "-";
            for (StateMetrics s : r.summary().states()) {
                double[][] m = r.matrix(s);
                charts.put(prefix + "similarity-" + s.name(), heatmap(r.summary().experiment() + " - " + s.name(), m, SimilarityHeatmap.range(m), map));
                charts.put(prefix + "probe-predictions-" + s.name(), probePredictions(r, s));
                if (s.lag() != null) charts.put(prefix + "lag-profile-" + s.name(), org.nopelab.charts.PositionCharts.lagProfile(r.summary().experiment() + " - " + s.name() + ": lag profile", s.lag()));
                if (k > 0) {
                    var base = subjects.get(0).state(s.name());
                    double[][] first = base.isPresent() ? subjects.get(0).matrix(base.get()) : null;
                    if (first != null && first.length == m.length) {
                        charts.put("difference-" + names.get(0) + "-minus-" + names.get(k) + "-" + s.name(),
                                SimilarityHeatmap.difference(names.get(0) + " minus " + names.get(k) + " - " + s.name(), first, m));
                    }
                }
            }
            charts.put(prefix + "scores", scores(r));
            charts.put(prefix + "variance", variance(r));
            charts.put(prefix + "probes", probes(r));
            charts.put(prefix + "training", training(r));
            charts.put(prefix + "order-recovery", org.nopelab.charts.PositionCharts.orderByLayer(r.summary().experiment() + " - order recovered from the similarities", r.summary().states()));
            if (r.summary().attention() != null) {
                for (var block : r.summary().attention()) {
                    charts.put(prefix + "attention-entropy-layer" + block.layer(), org.nopelab.charts.PositionCharts.entropy(r.summary().experiment() + " - block " + block.layer() + ": attention entropy", block));
                    for (var h : block.heads()) {
                        charts.put(prefix + "attention-layer" + block.layer() + "-head" + h.head(), org.nopelab.charts.PositionCharts.attention(
                                r.summary().experiment() + " - block " + block.layer() + ", head " + h.head() + ": mean attention", r.attentionMatrix(h, false), map));
                        charts.put(prefix + "attention-layer" + block.layer() + "-head" + h.head() + "-first", org.nopelab.charts.PositionCharts.attention(
                                r.summary().experiment() + " - block " + block.layer() + ", head " + h.head() + ": first sequence", r.attentionMatrix(h, true), map));
                    }
                }
            }
        }
        List<Path> written = new ArrayList<>();
        for (var e : charts.entrySet()) {
            if (e.getValue() == null) continue;
            Path base = dir.resolve(e.getKey());
            ChartFiles.png(e.getValue(), written(written, base, "png"), ChartFiles.WIDTH, ChartFiles.HEIGHT);
            ChartFiles.svg(e.getValue(), written(written, base, "svg"), ChartFiles.WIDTH, ChartFiles.HEIGHT);
            ChartFiles.csv(e.getValue(), written(written, base, "csv"));
        }
        return written;
    }

    private static Path written(List<Path> list, Path base, String ext) {
        Path p = base.resolveSibling(base.getFileName() + "." + ext);
        list.add(p);
        return p;
    }
}
