package org.nopelab.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.JFreeChart;
import org.nopelab.charts.ChartFiles;
import org.nopelab.charts.SimilarityHeatmap;
import org.nopelab.charts.StudyCharts;
import org.nopelab.core.io.AtomicFolder;
import org.nopelab.core.io.Csv;
import org.nopelab.core.io.Json;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.reproduce.Claims;
import org.nopelab.core.reproduce.Verdict;
import org.nopelab.core.run.ResultWriter;

/**
 * The reproduction report, one self-contained folder written atomically: index.html (verdicts, the numbers
 * behind each, figures), figures/*.png|svg|csv, verdicts.json, numbers.csv, and a copy of every experiment file.
 */
final class Report {
    private final Path examples, root;
    private final boolean quick;

    Report(Path examples, Path root, boolean quick) {
        this.examples = examples;
        this.root = root;
        this.quick = quick;
    }

    Path write(List<Verdict> verdicts, Map<String, Path> runs, List<Reproduction.Timing> timings, double seconds) throws IOException {
        try (AtomicFolder folder = new AtomicFolder(root.resolve("report-" + ResultWriter.timestamp()))) {
            Path dir = folder.dir();
            Files.createDirectories(dir.resolve("figures"));
            Files.createDirectories(dir.resolve("experiments"));
            for (String stem : runs.keySet()) Files.copy(examples.resolve(stem + ".yaml"), dir.resolve("experiments/" + stem + ".yaml"));
            for (Verdict v : verdicts) for (Verdict.Figure f : v.figures()) figure(f, dir.resolve("figures"));
            List<List<Object>> rows = new ArrayList<>();
            for (Verdict v : verdicts) {
                for (Verdict.Number n : v.numbers()) {
                    rows.add(List.of(v.id(), n.what(), n.value().mean(), n.value().ci95Low(), n.value().ci95High(), n.value().n(),
                            n.reference() == null ? "" : n.reference(), n.referenceName() == null ? "" : n.referenceName(), n.outcome()));
                }
            }
            Csv.writeTable(dir.resolve("numbers.csv"), List.of("claim", "what", "mean", "ci95_low", "ci95_high", "n", "reference", "reference_name", "outcome"), rows);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format", "nopelab/reproduction/1");
            json.put("mode", quick ? "quick" : "full");
            json.put("seconds", seconds);
            json.put("timings", timings);
            json.put("runs", runs.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toAbsolutePath().toString(),
                    (a, b) -> a, LinkedHashMap::new)));
            json.put("verdicts", verdicts.stream().map(v -> Map.of("id", v.id(), "claim", v.claim(), "status", v.status().name(), "summary", v.summary(),
                    "experiments", v.experiments(), "figures", v.figures().stream().map(Verdict.Figure::file).toList())).toList());
            Json.MAPPER.writeValue(dir.resolve("verdicts.json").toFile(), json);
            Files.writeString(dir.resolve("index.html"), html(verdicts, runs, timings, seconds));
            return folder.commit();
        }
    }

    private static void figure(Verdict.Figure f, Path dir) throws IOException {
        JFreeChart chart = switch (f.kind()) {
            case heatmap -> SimilarityHeatmap.create(f.title(), f.matrix());
            case histogram -> {
                Map<String, double[]> groups = new LinkedHashMap<>();
                for (Verdict.Series s : f.series()) groups.put(s.name(), means(s.y()));
                yield StudyCharts.histogram(f.title(), f.xLabel(), groups, 15);
            }
            case estimates -> StudyCharts.estimates(f.title(), f.xLabel(), f.yLabel(), f.series().stream()
                    .map(s -> new StudyCharts.Line(s.name(), s.x(), s.y())).toList(), f.chance(), f.logX());
            case theory -> {
                Map<String, double[]> theories = new LinkedHashMap<>();
                for (Verdict.Series s : f.series().subList(1, f.series().size())) theories.put(s.name(), means(s.y()));
                Verdict.Series m = f.series().get(0);
                yield StudyCharts.theoryOverlay(f.title(), f.xLabel(), f.yLabel(), m.x(), means(m.y()), m.name(), theories);
            }
        };
        int w = f.kind() == Verdict.Figure.Kind.heatmap ? 560 : 760, h = f.kind() == Verdict.Figure.Kind.heatmap ? 500 : 460;
        ChartFiles.png(chart, dir.resolve(f.file() + ".png"), w, h);
        ChartFiles.svg(chart, dir.resolve(f.file() + ".svg"), w, h);
        ChartFiles.csv(chart, dir.resolve(f.file() + ".csv"));
    }

    private static double[] means(Estimate[] e) {
        return java.util.Arrays.stream(e).mapToDouble(x -> x == null ? Double.NaN : x.mean()).toArray();
    }

    private String html(List<Verdict> verdicts, Map<String, Path> runs, List<Reproduction.Timing> timings, double seconds) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>NoPE Lab reproduction</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;font-size:90%;text-align:left}th{background:#f3f3f3}")
                .append(".holds{background:#d7f0d7}.partly{background:#fbeebb}.fails{background:#f6cccc}.not_run{background:#e6e6e6}")
                .append("pre{background:#f7f7f7;padding:.6em;font-size:85%;white-space:pre-wrap}img{max-width:100%;border:1px solid #ddd}</style></head><body>\n");
        b.append("<h1>Reproduction of Zuo, Guerzhoy &amp; Guerzhoy (COLING 2025)</h1>\n<p>")
                .append(quick ? "<b>Quick mode</b>: every experiment shrunk (64 sequences, 150 training steps, 2 seeds) for a smoke test; the verdicts are not the reproduction's. "
                        : "Full mode. ")
                .append(wallTime(timings, seconds))
                .append("Written by NoPE Lab ").append(esc(org.nopelab.core.run.Provenance.bundleVersion()))
                .append(".</p>\n<p>Our thresholds (the paper publishes no numbers): a layer has the adjacency pattern when its ap_nn 95% interval lies above chance and its mean is at least ")
                .append(Claims.PRESENT).append("&times; chance; it has none when the mean is below ").append(Claims.ABSENT)
                .append("&times; chance; &ldquo;high&rdquo; means at least ").append(Claims.HIGH).append("&times; chance. Intervals are over sequences for single runs and over seeds (Student t) for sweeps.</p>\n");
        b.append("<h2>Verdicts</h2>\n<table><tr><th>claim</th><th>statement</th><th>verdict</th><th>measured</th></tr>\n");
        for (Verdict v : verdicts) {
            b.append("<tr><td><a href=\"#claim-").append(esc(v.id())).append("\">").append(esc(v.id())).append("</a></td><td>").append(esc(v.claim()))
                    .append("</td><td class=\"").append(v.status()).append("\">").append(v.status().name().replace('_', ' ')).append("</td><td>")
                    .append(esc(v.summary())).append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (Verdict v : verdicts) {
            b.append("<h2 id=\"claim-").append(esc(v.id())).append("\">Claim ").append(esc(v.id())).append(": <span class=\"").append(v.status()).append("\">")
                    .append(v.status().name().replace('_', ' ')).append("</span></h2>\n<p>").append(esc(v.claim())).append("</p>\n<p><b>Measured:</b> ")
                    .append(esc(v.summary())).append("</p>\n");
            for (String e : v.experiments()) {
                Path f = examples.resolve(e + ".yaml");
                if (!Files.isRegularFile(f)) continue;
                b.append("<p>Experiment <a href=\"experiments/").append(esc(e)).append(".yaml\">").append(esc(e)).append(".yaml</a>")
                        .append(runs.containsKey(e) ? " &rarr; results <code>" + esc(runs.get(e).toAbsolutePath().toString()) + "</code>" : "")
                        .append(". Choices that are ours (the paper does not publish them):</p>\n<pre>").append(esc(choices(f))).append("</pre>\n");
            }
            for (Verdict.Figure f : v.figures()) {
                b.append("<figure><img src=\"figures/").append(esc(f.file())).append(".png\" alt=\"").append(esc(f.title())).append("\"><figcaption>")
                        .append(esc(f.title())).append(" &middot; <a href=\"figures/").append(esc(f.file())).append(".svg\">SVG</a> &middot; <a href=\"figures/")
                        .append(esc(f.file())).append(".csv\">data (CSV)</a></figcaption></figure>\n");
            }
            if (!v.numbers().isEmpty()) {
                b.append("<table><tr><th>quantity</th><th>measured</th><th>95% interval</th><th>n</th><th>compared with</th><th>outcome</th></tr>\n");
                for (Verdict.Number n : v.numbers()) {
                    Estimate e = n.value();
                    b.append("<tr><td>").append(esc(n.what())).append("</td><td>").append(String.format("%.4f", e.mean())).append("</td><td>")
                            .append(e.n() > 1 ? String.format("[%.4f, %.4f]", e.ci95Low(), e.ci95High()) : "")
                            .append(e.clipped() ? " (clipped to the score's range)" : "")
                            .append(e.n() > 1 && e.few() ? String.format(" (n = %d: t = %.1f, says little)", e.n(), Estimate.t975(e.n())) : "")
                            .append("</td><td>").append(e.n()).append("</td><td>")
                            .append(n.reference() == null ? "" : String.format("%s %.4f", esc(n.referenceName()), n.reference())).append("</td><td>")
                            .append(esc(n.outcome())).append("</td></tr>\n");
                }
                b.append("</table>\n");
            }
        }
        b.append("<h2>Wall times</h2>\n<table><tr><th>experiment</th><th>seconds</th><th></th></tr>\n");
        for (Reproduction.Timing t : timings) {
            b.append("<tr><td>").append(esc(t.experiment())).append("</td><td>").append(String.format("%.1f", t.seconds())).append("</td><td>")
                    .append(t.reused() ? "reused an identical finished run" : "").append("</td></tr>\n");
        }
        b.append("</table>\n").append(software(runs));
        b.append("<p>Every number is in <a href=\"numbers.csv\">numbers.csv</a>; verdicts in <a href=\"verdicts.json\">verdicts.json</a>.</p>\n</body></html>\n");
        return b.toString();
    }

    /** Which software computed each run; a sweep whose runs come from more than one version is flagged. */
    private static String software(Map<String, Path> runs) throws IOException {
        StringBuilder b = new StringBuilder("<h2>Software</h2>\n<table><tr><th>experiment</th><th>computed by</th></tr>\n");
        List<String> mixed = new ArrayList<>();
        for (var e : runs.entrySet()) {
            List<String> software;
            if (org.nopelab.core.run.SweepRunner.isSweep(e.getValue())) {
                software = org.nopelab.core.run.SweepRunner.read(e.getValue()).software();
            } else {
                org.nopelab.core.run.Provenance p = org.nopelab.core.run.Provenance.read(e.getValue());
                software = List.of(p == null ? "unknown (no provenance.json)" : p.software());
            }
            if (software.size() > 1) mixed.add(e.getKey());
            b.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(String.join("; ", software))).append("</td></tr>\n");
        }
        b.append("</table>\n");
        if (!mixed.isEmpty()) {
            b.append("<p class=\"partly\"><b>Mixed versions:</b> the sweeps ").append(esc(String.join(", ", mixed)))
                    .append(" were resumed under another software version; their numbers mix results of both (delete the sweep folder to recompute it).</p>\n");
        }
        return b.toString();
    }

    /** This invocation's wall time, and how much of the reproduction it reused from earlier invocations. */
    private static String wallTime(List<Reproduction.Timing> timings, double seconds) {
        long reused = timings.stream().filter(Reproduction.Timing::reused).count();
        return String.format("Wall time of this invocation %.1f min on %d cores", seconds / 60, Runtime.getRuntime().availableProcessors())
                + (reused == 0 ? ". " : String.format(" (%d of %d experiments reused the finished runs of an earlier invocation, so this is not"
                        + " the time of a reproduction from scratch). ", reused, timings.size() - 1));
    }

    /** The experiment file's leading comment, where each example states the choices that are ours. */
    private static String choices(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("#")) break;
            out.add(line.replaceFirst("^# ?", ""));
        }
        return String.join("\n", out);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
