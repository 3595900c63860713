package org.nopelab.core.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.nopelab.core.metrics.AdjacencyScore;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.metrics.PositionSignals;
import org.nopelab.core.probe.PositionProbe;
import org.nopelab.core.reproduce.Verdict.Figure;
import org.nopelab.core.reproduce.Verdict.Series;
import org.nopelab.core.reproduce.Verdict.Status;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.StateMetrics;
import org.nopelab.core.run.SweepRunner;
import org.nopelab.core.run.SweepSummary;
import org.nopelab.core.theory.Theory;
import org.nopelab.core.theory.TheoryCheck;

/**
 * The verdict on each claim of paper-spec §6 from the result folders of examples/paper (keyed by file name
 * without .yaml). The thresholds are ours and stated in the report: a layer has the adjacency pattern when its
 * ap_nn interval lies above chance and its mean is at least {@value #PRESENT} x chance; it has none when the
 * mean is below {@value #ABSENT} x chance; "high" is at least {@value #HIGH} x chance.
 */
public final class Claims {
    public static final double PRESENT = 2, ABSENT = 1.5, HIGH = 3;

    private Claims() {}

    public static List<Verdict> all(Map<String, Path> runs, List<TheoryCheck.Outcome> theoryChecks) throws IOException {
        List<Verdict> out = new ArrayList<>();
        out.add(inputVsLayers(runs.get("1-input-vs-layers")));
        out.add(trained(runs));
        out.add(firstLayer(runs.get("3-first-layer"), runs.get("1-input-vs-layers")));
        out.add(boundary(runs.get("4-boundary"), runs.get("4-width")));
        out.add(probes(runs.get("3-first-layer"), runs.get("1-input-vs-layers")));
        out.add(bidirectional(runs.get("6-bidirectional-control")));
        out.add(theory(runs.get("7-theory-t1"), theoryChecks));
        out.add(peContrast(runs.get("8-pe-variants")));
        out.add(lengthGeneralisation(runs.get("9-length-generalisation")));
        out.addAll(PositionClaims.all(runs));
        return out;
    }

    static boolean present(Estimate e, double chance) {
        return e.ci95Low() > chance && e.mean() >= PRESENT * chance;
    }

    static boolean absent(Estimate e, double chance) {
        return e.mean() < ABSENT * chance;
    }

    /** ap_nn's chance in a sweep cell; NaN where the cell has none (then no comparison with chance can hold). */
    static double chance(SweepSummary s, SweepSummary.Cell c, int layer) {
        Estimate e = s.value(c, "random", layer, "ap_nn_chance");
        return e == null ? Double.NaN : e.mean();
    }

    static String describe(Estimate e, double chance) {
        return present(e, chance) ? "pattern" : absent(e, chance) ? "no pattern" : "weak";
    }

    static List<StateMetrics> layers(ResultFolder r) {
        return r.summary().states().stream().filter(s -> s.name().equals("layer" + s.layer())).toList();
    }

    private static Estimate apNN(StateMetrics s) {
        return s.scores().get(AdjacencyScore.ap_nn).perSequence();
    }

    private static double chance(StateMetrics s) {
        return s.scores().get(AdjacencyScore.ap_nn).chance();
    }

    static Verdict notRun(String id, String claim, String... experiments) {
        return new Verdict(id, claim, Status.not_run, "not run", List.of(experiments), List.of(), List.of());
    }

    private static Series byLayer(String name, List<StateMetrics> layers) {
        return new Series(name, layers.stream().mapToDouble(StateMetrics::layer).toArray(), layers.stream().map(Claims::apNN).toArray(Estimate[]::new));
    }

    static Estimate exact(double v) {
        return new Estimate(v, v, v, 1);
    }

    static Verdict inputVsLayers(Path dir) throws IOException {
        String claim = "The input (token-embedding) layer has no adjacency pattern; every layer after the first causal attention has one.";
        if (dir == null) return notRun("1", claim, "1-input-vs-layers");
        ResultFolder r = ResultFolder.open(dir);
        List<StateMetrics> layers = layers(r);
        List<Verdict.Number> numbers = new ArrayList<>();
        boolean inputClean = false, allLater = true;
        for (StateMetrics s : layers) {
            String d = describe(apNN(s), chance(s));
            numbers.add(new Verdict.Number("ap_nn " + s.name(), apNN(s), chance(s), "chance", d));
            if (s.layer() == 0) inputClean = absent(apNN(s), chance(s));
            else allLater &= present(apNN(s), chance(s));
        }
        Status status = inputClean && allLater ? Status.holds : inputClean || allLater ? Status.partly : Status.fails;
        StateMetrics l0 = layers.get(0), l1 = layers.get(1);
        String summary = String.format("layer0 ap_nn %.3f (chance %.3f); layers 1-%d %.3f-%.3f.", apNN(l0).mean(), chance(l0), layers.size() - 1,
                layers.subList(1, layers.size()).stream().mapToDouble(s -> apNN(s).mean()).min().orElse(Double.NaN),
                layers.subList(1, layers.size()).stream().mapToDouble(s -> apNN(s).mean()).max().orElse(Double.NaN));
        List<Figure> figures = List.of(
                new Figure("claim1-ap-by-layer", "Adjacency probability by layer (random-init NoPE)", "layer (0 = token embeddings)", "ap_nn",
                        Figure.Kind.estimates, List.of(byLayer("ap_nn", layers)), chance(l0), false, null),
                new Figure("claim1-layer0", "layer0: self-cosine similarity", "position", "position", Figure.Kind.heatmap, List.of(), null, false, r.matrix(l0)),
                new Figure("claim1-layer1", "layer1: self-cosine similarity", "position", "position", Figure.Kind.heatmap, List.of(), null, false, r.matrix(l1)));
        return new Verdict("1", claim, status, summary, List.of("1-input-vs-layers"), numbers, figures);
    }

    /** Held-out token accuracy from which a trained subject counts as having learned its task. */
    public static final double LEARNED = 0.9;

    /** Claim 2's subjects in examples/paper/2-trained-*: each model on uniform tokens, and each on its task's own inputs. */
    static final String RANDOM = "random", TRAINED = "trained", ON_TASK = "-on-task";

    /** How often each layer after the input has the pattern, and how often its interval lies above chance at all. */
    private record Persistence(int present, int above, int layers) {
        static Persistence of(List<StateMetrics> layers) {
            int present = 0, above = 0, later = 0;
            for (StateMetrics s : layers) {
                if (s.layer() == 0) continue;
                later++;
                if (Claims.present(apNN(s), chance(s))) present++;
                if (apNN(s).ci95Low() > chance(s)) above++;
            }
            return new Persistence(present, above, later);
        }

        boolean everywhere() {
            return layers > 0 && present == layers;
        }
    }

    /**
     * Claim 2 per task: the trained model must have learned (held-out accuracy at least {@value #LEARNED}) and keep
     * the pattern in every layer after the input on uniform tokens, as the random-init model has it. On the task's
     * own inputs (subjects NAME-on-task) the same is asked where those inputs can show the pattern at all: when
     * the random-init model has no pattern there either (a few token ids repeating, so identical tokens, not
     * neighbours, are nearest), persistence on them cannot be tested, and the verdict says so.
     */
    static Verdict trained(Map<String, Path> runs) throws IOException {
        String claim = "The pattern is present at random initialisation and persists after training (add3, modp, parity; and previous-token"
                + " copy, our sanity task, which is trained at the analysed length), on uniform tokens and on the task's own inputs.";
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        List<String> experiments = new ArrayList<>(), summaries = new ArrayList<>();
        int held = 0, learnedAboveChance = 0, tasks = 0;
        for (String task : List.of("add3", "modp", "parity", "copy")) {
            String id = "2-trained-" + task;
            Path dir = runs.get(id);
            if (dir == null && task.equals("copy")) continue; // our addition, optional
            experiments.add(id);
            if (dir == null) continue;
            tasks++;
            Map<String, List<StateMetrics>> subjects = new LinkedHashMap<>();
            Map<String, Integer> positions = new LinkedHashMap<>();
            double accuracy = Double.NaN;
            String accuracyName = "held-out accuracy";
            for (Path subject : ResultFolder.subjects(dir)) {
                ResultFolder r = ResultFolder.open(subject);
                String name = subject.getFileName().toString();
                subjects.put(name, layers(r));
                positions.put(name, r.summary().positions());
                for (StateMetrics s : layers(r)) {
                    numbers.add(new Verdict.Number(task + " " + name + " ap_nn " + s.name(), apNN(s), chance(s), "chance", describe(apNN(s), chance(s))));
                }
                if (r.summary().training() != null && name.equals(TRAINED)) {
                    accuracy = r.summary().training().tokenAccuracy();
                    accuracyName = r.summary().training().accuracyName();
                    numbers.add(new Verdict.Number(task + " token " + accuracyName, exact(accuracy), LEARNED, "learned from", accuracy >= LEARNED ? "learned" : "not learned"));
                    numbers.add(new Verdict.Number(task + " sequence " + accuracyName, exact(r.summary().training().sequenceAccuracy()), null, null, ""));
                }
            }
            boolean learned = accuracy >= LEARNED;
            Persistence uniform = subjects.containsKey(TRAINED) ? Persistence.of(subjects.get(TRAINED)) : new Persistence(0, 0, 0);
            String onTask = "";
            boolean taskOk = true, taskAbove = true;
            Figure taskFigure = null;
            List<StateMetrics> randomTask = subjects.get(RANDOM + ON_TASK), trainedTask = subjects.get(TRAINED + ON_TASK);
            if (randomTask != null && trainedTask != null) {
                Persistence before = Persistence.of(randomTask), after = Persistence.of(trainedTask);
                if (before.everywhere()) {
                    taskOk = after.everywhere();
                    taskAbove = after.above == after.layers;
                    onTask = String.format("; on its own %d-position inputs %d of %d layers", positions.get(TRAINED + ON_TASK), after.present, after.layers);
                } else if (PRESENT * chance(randomTask.get(0)) >= 1) {
                    onTask = String.format("; its own %d-position inputs are too short to show the pattern (%.0f x chance exceeds 1)",
                            positions.get(TRAINED + ON_TASK), PRESENT);
                } else {
                    onTask = String.format("; its own %d-position inputs show no pattern even at random init (%d of %d layers), so they cannot test"
                            + " persistence", positions.get(TRAINED + ON_TASK), before.present, before.layers);
                }
                taskFigure = new Figure("claim2-" + task + "-on-task", "ap_nn by layer on " + task + "'s own inputs", "layer", "ap_nn", Figure.Kind.estimates,
                        List.of(byLayer(RANDOM, randomTask), byLayer(TRAINED, trainedTask)), chance(randomTask.get(0)), false, null);
            }
            if (learned && uniform.everywhere() && taskOk) held++;
            if (learned && uniform.above == uniform.layers && taskAbove) learnedAboveChance++;
            summaries.add(String.format("%s (token %s %.2f%s): the trained model has the pattern on uniform tokens in %d of %d layers, above chance in %d%s",
                    task, accuracyName, accuracy, learned ? "" : ", not learned, so no evidence either way", uniform.present, uniform.layers, uniform.above, onTask));
            List<Series> lines = new ArrayList<>();
            for (String name : List.of(RANDOM, TRAINED)) if (subjects.containsKey(name)) lines.add(byLayer(name, subjects.get(name)));
            double chance = lines.isEmpty() ? Double.NaN : chance(subjects.get(lines.get(0).name()).get(0));
            figures.add(new Figure("claim2-" + task, "ap_nn by layer, random-init vs trained on " + task + " (uniform tokens)", "layer", "ap_nn", Figure.Kind.estimates,
                    lines, chance, false, null));
            if (taskFigure != null) figures.add(taskFigure);
        }
        if (tasks == 0) return notRun("2", claim, experiments.toArray(String[]::new));
        Status status = held == tasks && tasks >= 3 ? Status.holds : learnedAboveChance > 0 ? Status.partly : Status.fails;
        return new Verdict("2", claim, status, String.join("; ", summaries) + ".", experiments, numbers, figures);
    }

    static Verdict firstLayer(Path sweepDir, Path claim1) throws IOException {
        String claim = "The first causal attention layer already gives a high adjacency probability.";
        if (sweepDir == null) return notRun("3", claim, "3-first-layer");
        SweepSummary s = SweepRunner.read(sweepDir);
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Series> lines = new ArrayList<>();
        int high = 0;
        double chance = Double.NaN;
        for (SweepSummary.Cell c : s.cells()) {
            Estimate l1 = s.value(c, "random", 1, "ap_nn");
            if (l1 == null) continue;
            chance = chance(s, c, 1);
            boolean isHigh = l1.ci95Low() > chance && l1.mean() >= HIGH * chance;
            if (isHigh) high++;
            numbers.add(new Verdict.Number("layer1 ap_nn, " + c.label(), l1, chance, "chance", isHigh ? "high" : describe(l1, chance)));
            double[] x = IntStream.range(0, s.layers()).asDoubleStream().toArray();
            lines.add(new Series(c.label(), x, IntStream.range(0, s.layers()).mapToObj(l -> s.value(c, "random", l, "ap_nn")).toArray(Estimate[]::new)));
        }
        String extra = "";
        if (claim1 != null) {
            List<StateMetrics> layers = layers(ResultFolder.open(claim1));
            double max = layers.stream().mapToDouble(x -> apNN(x).mean()).max().orElse(Double.NaN);
            extra = String.format(" In the 6-layer model of claim 1, layer1 reaches %.0f%% of the best layer's ap_nn.", 100 * apNN(layers.get(1)).mean() / max);
            numbers.add(new Verdict.Number("claim-1 model: layer1 ap_nn / best layer", exact(apNN(layers.get(1)).mean() / max), null, null, ""));
        }
        int cells = numbers.size() - (claim1 == null ? 0 : 1);
        Status status = high == cells ? Status.holds : high > 0 ? Status.partly : Status.fails;
        return new Verdict("3", claim, status, String.format("layer1 ap_nn is at least %.0fx chance in %d of %d configurations (%d seeds each).", HIGH, high, cells,
                s.seeds().size()) + extra, List.of("3-first-layer", "1-input-vs-layers"), numbers,
                List.of(new Figure("claim3-first-layer", "ap_nn by layer of 2-layer NoPE models (mean over seeds, 95% band)", "layer", "ap_nn",
                        Figure.Kind.estimates, lines, chance, false, null)));
    }

    static Verdict boundary(Path sweepDir, Path widthDir) throws IOException {
        String claim = "The pattern holds over a range of hyperparameters and fades outside it (init scale, residual, LayerNorm, width).";
        if (sweepDir == null && widthDir == null) return notRun("4", claim, "4-boundary", "4-width");
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        List<String> fades = new ArrayList<>(), holds = new ArrayList<>();
        List<Series> histogram = new ArrayList<>(); // last-layer ap_nn of every configuration, per sweep
        boolean defaultPresent = false;
        if (sweepDir != null) {
            SweepSummary s = SweepRunner.read(sweepDir);
            int last = s.layers() - 1;
            Map<String, List<SweepSummary.Cell>> groups = new LinkedHashMap<>();
            double chance = Double.NaN;
            for (SweepSummary.Cell c : s.cells()) {
                Estimate e = s.value(c, "random", last, "ap_nn");
                if (e == null) { // every seed's score was NaN: the hidden states overflowed (no LN, no residual, large init)
                    fades.add(c.label() + " (no finite score: hidden states overflow)");
                    continue;
                }
                chance = chance(s, c, last);
                String d = describe(e, chance);
                numbers.add(new Verdict.Number("layer" + last + " ap_nn, " + c.label(), e, chance, "chance", d));
                (present(e, chance) ? holds : fades).add(c.label() + " (" + d + String.format(", %.3f)", e.mean()));
                if (c.values().get("model.init.std").asDouble() == 0.02 && c.values().get("model.residual").asBoolean()
                        && "pre".equals(c.values().get("model.layer_norm").asText())) defaultPresent = present(e, chance);
                groups.computeIfAbsent("residual " + c.values().get("model.residual").asText() + ", LN " + c.values().get("model.layer_norm").asText(),
                        k -> new ArrayList<>()).add(c);
            }
            List<Series> lines = new ArrayList<>();
            groups.forEach((name, cells) -> lines.add(new Series(name, cells.stream().mapToDouble(c -> c.values().get("model.init.std").asDouble()).toArray(),
                    cells.stream().map(c -> s.value(c, "random", last, "ap_nn")).toArray(Estimate[]::new))));
            figures.add(new Figure("claim4-init-residual-ln", "Last-layer ap_nn against init std (mean over seeds, 95% band)", "init std", "ap_nn (layer " + last + ")",
                    Figure.Kind.estimates, lines, chance, true, null));
            histogram.add(lastLayer("init std x residual x LN", s, last));
        }
        String width = "";
        if (widthDir != null) {
            SweepSummary s = SweepRunner.read(widthDir);
            int last = s.layers() - 1;
            List<Series> lines = new ArrayList<>();
            double chance = Double.NaN;
            double[] x = s.cells().stream().mapToDouble(c -> c.values().get("model.d_model").asDouble()).toArray();
            for (int layer : new int[] {1, last}) {
                lines.add(new Series("layer" + layer, x, s.cells().stream().map(c -> s.value(c, "random", layer, "ap_nn")).toArray(Estimate[]::new)));
            }
            Integer narrowest = null;
            for (SweepSummary.Cell c : s.cells()) {
                Estimate e = s.value(c, "random", last, "ap_nn");
                if (e == null) continue;
                chance = chance(s, c, last);
                numbers.add(new Verdict.Number("layer" + last + " ap_nn, " + c.label(), e, chance, "chance", describe(e, chance)));
                if (present(e, chance) && narrowest == null) narrowest = c.values().get("model.d_model").asInt();
                if (!present(e, chance)) fades.add(c.label() + String.format(" (%s, %.3f)", describe(e, chance), e.mean()));
            }
            width = narrowest == null ? " No width tried has the pattern." : " Width: the pattern is present from d_model " + narrowest + " on.";
            figures.add(new Figure("claim4-width", "ap_nn against d_model (mean over seeds, 95% band)", "d_model", "ap_nn", Figure.Kind.estimates, lines, chance, true, null));
            histogram.add(lastLayer("width", s, last));
        }
        figures.add(new Figure("claim4-histogram", "Last-layer ap_nn across all configurations of the two sweeps", "ap_nn (last layer, mean over seeds)",
                "configurations", Figure.Kind.histogram, histogram, null, false, null));
        Status status = defaultPresent && !fades.isEmpty() && !holds.isEmpty() ? Status.holds : !holds.isEmpty() ? Status.partly : Status.fails;
        String summary = "Present in " + holds.size() + " init/residual/LN cells; fades or is weak in: " + (fades.isEmpty() ? "none" : String.join("; ", fades)) + "." + width;
        return new Verdict("4", claim, status, summary, List.of("4-boundary", "4-width"), numbers, figures);
    }

    static Verdict probes(Path sweepDir, Path claim1) throws IOException {
        String claim = "Cosine-similarity features predict position better than the variance signal (held-out R\u00b2).";
        if (sweepDir == null && claim1 == null) return notRun("5", claim, "3-first-layer", "1-input-vs-layers");
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        int better = 0, separated = 0, total = 0;
        List<String> worse = new ArrayList<>(), undefined = new ArrayList<>();
        if (sweepDir != null) {
            SweepSummary s = SweepRunner.read(sweepDir);
            List<Estimate> cos = new ArrayList<>(), var = new ArrayList<>();
            for (SweepSummary.Cell c : s.cells()) {
                for (int layer = 1; layer < s.layers(); layer++) {
                    Estimate a = s.value(c, "random", layer, "probe_cosine_r2"), b = s.value(c, "random", layer, "probe_variance_r2");
                    if (a == null || b == null) { // a probe undefined in every seed (its feature is rounding): not evidence
                        if (s.value(c, "random", layer, "ap_nn") != null) undefined.add(c.label() + " layer" + layer);
                        continue;
                    }
                    total++;
                    if (a.mean() > b.mean()) better++;
                    else worse.add(c.label() + " layer" + layer + String.format(" (%.2f vs %.2f)", a.mean(), b.mean()));
                    if (a.ci95Low() > b.ci95High()) separated++;
                    numbers.add(new Verdict.Number("layer" + layer + " R\u00b2 cosine, " + c.label(), a, b.mean(), "variance R\u00b2", a.mean() > b.mean() ? "cosine better" : "variance better"));
                    if (layer == 1) { cos.add(a); var.add(b); }
                }
            }
            double[] x = IntStream.range(0, cos.size()).asDoubleStream().toArray();
            figures.add(new Figure("claim5-probes", "Layer-1 probe R\u00b2 per configuration of claim 3 (x = cell index)", "configuration", "held-out R\u00b2",
                    Figure.Kind.estimates, List.of(new Series("cosine features", x, cos.toArray(Estimate[]::new)),
                            new Series("variance feature", x, var.toArray(Estimate[]::new))), null, false, null));
        }
        if (claim1 != null) {
            for (StateMetrics s : layers(ResultFolder.open(claim1))) {
                if (s.layer() == 0 || s.probes() == null) continue;
                PositionProbe.Score cosine = s.probes().get(PositionProbe.Features.cosine), variance = s.probes().get(PositionProbe.Features.variance);
                if (!cosine.defined() || !variance.defined()) {
                    undefined.add("claim-1 model " + s.name() + " (" + (cosine.defined() ? variance : cosine).undefined() + ")");
                    continue;
                }
                double a = cosine.r2(), b = variance.r2();
                total++;
                if (a > b) better++;
                numbers.add(new Verdict.Number("claim-1 model " + s.name() + " R\u00b2 cosine", exact(a), b, "variance R\u00b2", a > b ? "cosine better" : "variance better"));
            }
        }
        Status status = total == 0 ? Status.fails : better == total ? Status.holds : 2 * better > total ? Status.partly : Status.fails;
        return new Verdict("5", claim, status, String.format("cosine features beat the variance feature in %d of %d layer/configuration pairs (%d with non-overlapping intervals over seeds)%s%s.",
                better, total, separated, worse.isEmpty() ? "" : "; the variance feature is as good or better in: " + String.join("; ", worse),
                undefined.isEmpty() ? "" : "; not compared, a probe being undefined (its feature is constant up to rounding, e.g. the variance at a LayerNorm output): "
                        + String.join("; ", undefined)),
                List.of("3-first-layer", "1-input-vs-layers"), numbers, figures);
    }

    static Verdict bidirectional(Path dir) throws IOException {
        String claim = "Bidirectional NoPE control: no pattern, every score at chance.";
        if (dir == null) return notRun("6", claim, "6-bidirectional-control");
        List<StateMetrics> layers = layers(ResultFolder.open(dir));
        List<Verdict.Number> numbers = new ArrayList<>();
        int atChance = 0;
        for (StateMetrics s : layers) {
            Estimate e = apNN(s);
            boolean ok = (e.ci95Low() <= chance(s) && chance(s) <= e.ci95High()) || Math.abs(e.mean() - chance(s)) < 0.25 * chance(s);
            if (ok) atChance++;
            numbers.add(new Verdict.Number("ap_nn " + s.name(), e, chance(s), "chance", ok ? "at chance" : describe(e, chance(s))));
        }
        Status status = atChance == layers.size() ? Status.holds : Status.fails;
        return new Verdict("6", claim, status, String.format("%d of %d layers at chance (interval contains chance or within 25%% of it).", atChance, layers.size()),
                List.of("6-bidirectional-control"), numbers, List.of(new Figure("claim6-bidirectional", "ap_nn by layer, bidirectional NoPE", "layer", "ap_nn",
                        Figure.Kind.estimates, List.of(byLayer("ap_nn", layers)), chance(layers.get(0)), false, null)));
    }

    static Verdict theory(Path dir, List<TheoryCheck.Outcome> checks) throws IOException {
        String claim = "The T1 and K predictions agree with measurement in their regimes.";
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        int agree = 0, total = 0;
        for (TheoryCheck.Outcome o : checks) {
            total++;
            if (o.agrees()) agree++;
            String what = o.kind() == Theory.Kind.t1 ? "T1 exact regime" : String.format("K, alpha %.2f", o.parameter());
            numbers.add(new Verdict.Number(what + String.format(": max |measured - theory| (%d sequences, d %d)", o.sequences(), o.dModel()),
                    exact(o.maxAbs()), 4 * maxOf(o.standardError()) + 2.0 / o.dModel(), "4 se + 2/d", o.agrees() ? "agrees" : "disagrees"));
            numbers.add(new Verdict.Number(what + ": largest |z|", exact(o.maxZ()), null, null, ""));
            int n = o.positions();
            double[] x = IntStream.range(1, n + 1).asDoubleStream().toArray();
            figures.add(new Figure("claim7-" + (o.kind() == Theory.Kind.t1 ? "t1" : "k-" + Math.round(100 * o.parameter())), what + ": row of the last position",
                    "position j", "cos(h_n, h_j)", Figure.Kind.theory, List.of(new Series("measured (engine)", x, exacts(o.measured()[n - 1])),
                            new Series(o.kind() == Theory.Kind.t1 ? "T1 theory" : "K theory", x, exacts(o.theory()[n - 1]))), null, false, null));
        }
        if (dir != null) {
            total++;
            ResultFolder r = ResultFolder.open(dir);
            StateMetrics attn = r.state("layer1.attn").orElseThrow(() -> new IOException(dir + " has no layer1.attn state"));
            double[][] m = r.matrix(attn);
            int n = m.length;
            double[][] t1 = Theory.matrix(Theory.Kind.t1, n, 0);
            double max = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) max = Math.max(max, Math.abs(m[i][j] - t1[i][j]));
            boolean ok = max <= 0.05;
            if (ok) agree++;
            numbers.add(new Verdict.Number("tiny-init experiment, layer1.attn: max |measured - T1|", exact(max), 0.05, "tolerance (ours)", ok ? "agrees" : "disagrees"));
            double[] x = IntStream.range(0, n).asDoubleStream().toArray();
            figures.add(new Figure("claim7-t1-experiment", "Tiny-init 1-layer NoPE: similarity by distance, layer1.attn vs T1", "distance |i - j|", "mean cosine",
                    Figure.Kind.theory, List.of(new Series("measured layer1.attn", x, exacts(PositionSignals.similarityByDistance(m))),
                            new Series("T1 theory", x, exacts(PositionSignals.similarityByDistance(t1)))), null, false, null));
        }
        if (total == 0) return notRun("7", claim, "7-theory-t1");
        Status status = agree == total ? Status.holds : agree > 0 ? Status.partly : Status.fails;
        return new Verdict("7", claim, status, agree + " of " + total + " theory checks agree within sampling error.", List.of("7-theory-t1", "TheoryCheck (built in)"), numbers, figures);
    }

    /** How much more of its accuracy NoPE must keep at the longest length than a PE contrast to count as extrapolating better. */
    public static final double BETTER = 0.05;

    /**
     * Claim LG, beyond the paper (Kazemnejad et al. 2023): trained at one length, NoPE keeps more of its accuracy
     * at longer ones than learned and sinusoidal PE. Judged at the longest factor; RoPE and ALiBi are reported
     * beside them, not judged.
     */
    static Verdict lengthGeneralisation(Path dir) throws IOException {
        String claim = "Beyond the paper (Kazemnejad et al. 2023): trained at one length, NoPE extrapolates to longer sequences better than"
                + " learned and sinusoidal PE.";
        String experiment = "9-length-generalisation";
        if (dir == null) return notRun("LG", claim, experiment);
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Series> lines = new ArrayList<>();
        Map<String, Double> longest = new java.util.LinkedHashMap<>();
        List<Series> adjacency = new ArrayList<>();
        int factor = 0;
        for (Path subject : ResultFolder.subjects(dir)) {
            String name = subject.getFileName().toString();
            var t = ResultFolder.open(subject).summary().training();
            if (t == null || t.lengthGeneralisation() == null || t.lengthGeneralisation().isEmpty()) continue;
            var points = t.lengthGeneralisation();
            for (var p : points) {
                numbers.add(new Verdict.Number(name + " token accuracy at x" + p.factor() + " (length " + p.length() + ")", exact(p.tokenAccuracy()), null, null,
                        p.heldOut() ? "held out" : "not held out"));
            }
            for (var p : points) {
                if (p.apNN() != null) numbers.add(new Verdict.Number(name + " last-layer ap_nn at x" + p.factor() + " (length " + p.length() + ")", exact(p.apNN()),
                        p.apNNChance(), "chance", describe(exact(p.apNN()), p.apNNChance())));
            }
            if (points.stream().allMatch(p -> p.apNN() != null)) {
                adjacency.add(new Series(name, points.stream().mapToDouble(p -> p.factor()).toArray(), points.stream().map(p -> exact(p.apNN())).toArray(Estimate[]::new)));
            }
            var last = points.get(points.size() - 1);
            factor = last.factor();
            longest.put(name, last.tokenAccuracy());
            lines.add(new Series(name, points.stream().mapToDouble(p -> p.factor()).toArray(), points.stream().map(p -> exact(p.tokenAccuracy())).toArray(Estimate[]::new)));
        }
        Double nope = longest.get("nope"), learned = longest.get("learned"), sinusoidal = longest.get("sinusoidal");
        if (nope == null || learned == null || sinusoidal == null) {
            return new Verdict("LG", claim, Status.not_run, "needs trained subjects nope, learned and sinusoidal with train.length_factors",
                    List.of(experiment), numbers, List.of());
        }
        int beaten = (nope >= learned + BETTER ? 1 : 0) + (nope >= sinusoidal + BETTER ? 1 : 0);
        Status status = beaten == 2 ? Status.holds : beaten == 1 ? Status.partly : Status.fails;
        List<String> others = new ArrayList<>();
        longest.forEach((k, v) -> others.add(String.format("%s %.3f", k, v)));
        String summary = String.format("token accuracy at %dx the trained length: %s (NoPE must lead a contrast by %.2f to count).", factor,
                String.join(", ", others), BETTER);
        Figure figure = new Figure("claim9-length", "Copy accuracy at k x the trained length", "length factor k", "held-out token accuracy",
                Figure.Kind.estimates, lines, null, false, null);
        List<Figure> figures = new ArrayList<>(List.of(figure));
        if (!adjacency.isEmpty()) figures.add(new Figure("claim9-length-adjacency", "Last-layer ap_nn at k x the trained length", "length factor k", "ap_nn",
                Figure.Kind.estimates, adjacency, null, false, null));
        return new Verdict("LG", claim, status, summary, List.of(experiment), numbers, figures);
    }

    static Verdict peContrast(Path dir) throws IOException {
        String claim = "Contrast (not a claim of the paper): a sinusoidal encoding puts the adjacency pattern into the input layer itself; NoPE's "
                + "input layer has none, and neither has a learned encoding at initialisation (its position vectors are random, so neighbours are not similar).";
        if (dir == null) return notRun("PE", claim, "8-pe-variants");
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Series> lines = new ArrayList<>();
        boolean ok = true;
        double chance = Double.NaN;
        for (Path subject : ResultFolder.subjects(dir)) {
            String name = subject.getFileName().toString();
            List<StateMetrics> layers = layers(ResultFolder.open(subject));
            StateMetrics l0 = layers.get(0);
            chance = chance(l0);
            numbers.add(new Verdict.Number(name + " ap_nn layer0", apNN(l0), chance, "chance", describe(apNN(l0), chance)));
            ok &= name.equals("sinusoidal") ? present(apNN(l0), chance) : absent(apNN(l0), chance);
            lines.add(byLayer(name, layers));
        }
        return new Verdict("PE", claim, ok ? Status.holds : Status.fails, "input-layer ap_nn: " + numbers.stream()
                .map(n -> String.format("%s %.3f", n.what().replace(" ap_nn layer0", ""), n.value().mean())).reduce((a, b) -> a + ", " + b).orElse("") + ".",
                List.of("8-pe-variants"), numbers, List.of(new Figure("contrast-pe", "ap_nn by layer: NoPE, sinusoidal, learned PE", "layer", "ap_nn",
                        Figure.Kind.estimates, lines, chance, false, null)));
    }

    /** The last layer's ap_nn of every cell of a sweep, as one series (x = cell index) for a histogram. */
    private static Series lastLayer(String name, SweepSummary s, int last) {
        List<Estimate> values = s.cells().stream().map(c -> s.value(c, "random", last, "ap_nn")).filter(java.util.Objects::nonNull).toList();
        return new Series(name, IntStream.range(0, values.size()).asDoubleStream().toArray(), values.toArray(Estimate[]::new));
    }

    static Estimate[] exacts(double[] v) {
        return java.util.Arrays.stream(v).mapToObj(Claims::exact).toArray(Estimate[]::new);
    }

    private static double maxOf(double[][] m) {
        double max = 0;
        for (double[] r : m) for (double x : r) max = Math.max(max, x);
        return max;
    }
}
