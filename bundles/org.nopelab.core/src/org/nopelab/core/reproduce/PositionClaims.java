package org.nopelab.core.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.nopelab.core.metrics.AttentionStats;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.metrics.LagProfile;
import org.nopelab.core.metrics.OrderRecovery;
import org.nopelab.core.reproduce.Verdict.Figure;
import org.nopelab.core.reproduce.Verdict.Series;
import org.nopelab.core.reproduce.Verdict.Status;
import org.nopelab.core.run.ResultFolder;
import org.nopelab.core.run.StateMetrics;

/**
 * Claims beyond the paper about where position lives and whether it can be read back (issue 16): order recovery
 * from the similarities alone, the lag profile against uniform-attention theory, and how each position scheme's
 * attention depends on the offset. Thresholds are ours and stated with each number.
 */
final class PositionClaims {
    private PositionClaims() {}

    /** Largest |measured - theory| of a lag profile that still counts as following the theory (as claim 7's T1 check). */
    static final double LAG_TOLERANCE = 0.05;

    /** How much more of its first block's score variance the offset must explain for a scheme than for NoPE. */
    static final double OFFSET_MARGIN = 0.05;

    static List<Verdict> all(Map<String, Path> runs) throws IOException {
        return List.of(order(runs.get("1-input-vs-layers"), runs.get("6-bidirectional-control")), lag(runs.get("11-lag-profile")),
                attention(runs.get("10-attention-schemes")), length(runs.get("12-length-axis")));
    }

    /** Order recovery: above the chance band from layer 1 on with the causal mask, within it at the input and without the mask. */
    static Verdict order(Path causal, Path bidirectional) throws IOException {
        String claim = "Beyond the paper: the order of the positions can be recovered from one layer's similarities alone (spectral seriation,"
                + " |Kendall tau| above a random order's 95th percentile) from layer 1 on with the causal mask, not at the input, and not without the mask.";
        if (causal == null && bidirectional == null) return Claims.notRun("OR", claim, "1-input-vs-layers", "6-bidirectional-control");
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Series> lines = new ArrayList<>();
        boolean causalOk = causal != null, controlOk = bidirectional != null;
        double chance = Double.NaN;
        String summary = "";
        for (Path dir : new Path[] {causal, bidirectional}) {
            if (dir == null) continue;
            boolean isCausal = dir == causal;
            String label = isCausal ? "causal" : "bidirectional";
            List<StateMetrics> layers = Claims.layers(ResultFolder.open(dir));
            if (layers.stream().anyMatch(s -> s.order() == null)) return new Verdict("OR", claim, Status.not_run, "analysis.order was off",
                    List.of("1-input-vs-layers", "6-bidirectional-control"), numbers, List.of());
            int above = 0;
            for (StateMetrics s : layers) {
                OrderRecovery.Result o = s.order();
                chance = o.chance().tau();
                boolean over = o.tau().ci95Low() > o.chance().tau95();
                numbers.add(new Verdict.Number(label + " |tau| " + s.name(), o.tau(), o.chance().tau95(), "random order's 95th percentile", over ? "order recovered" : "chance"));
                numbers.add(new Verdict.Number(label + " |rho| " + s.name(), o.rho(), o.chance().rho95(), "random order's 95th percentile", ""));
                if (s.layer() > 0 && over) above++;
                if (isCausal) causalOk &= s.layer() == 0 ? !over : over;
                else controlOk &= !over;
            }
            lines.add(new Series(label, layers.stream().mapToDouble(StateMetrics::layer).toArray(), layers.stream().map(s -> s.order().tau()).toArray(Estimate[]::new)));
            summary += String.format("%s%s: |tau| layer0 %.2f, layers 1-%d %.2f-%.2f, above the chance band in %d of %d", summary.isEmpty() ? "" : "; ", label,
                    layers.get(0).order().tau().mean(), layers.size() - 1,
                    layers.subList(1, layers.size()).stream().mapToDouble(s -> s.order().tau().mean()).min().orElse(Double.NaN),
                    layers.subList(1, layers.size()).stream().mapToDouble(s -> s.order().tau().mean()).max().orElse(Double.NaN), above, layers.size() - 1);
        }
        Status status = causalOk && controlOk ? Status.holds : causalOk || controlOk ? Status.partly : Status.fails;
        return new Verdict("OR", claim, status, summary + String.format(" (a random order's mean |tau| %.2f).", chance),
                List.of("1-input-vs-layers", "6-bidirectional-control"), numbers,
                List.of(new Figure("order-recovery", "Order recovered from the similarities: |Kendall tau| by layer", "layer", "|tau|", Figure.Kind.estimates, lines, chance, false, null)));
    }

    /** The lag profile of layer1.attn at tiny init follows uniform attention: global sqrt((i-d+1)/(i+1)), window [1 - d/w]+. */
    static Verdict lag(Path dir) throws IOException {
        String claim = "Beyond the paper (Dawes et al.): at tiny init the lag profile c(d) of the first attention output follows uniform attention,"
                + " sqrt((i-d+1)/(i+1)) under global causal attention and [1 - d/w]+ under a sliding window of w keys.";
        if (dir == null) return Claims.notRun("LAG", claim, "11-lag-profile");
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        int agree = 0, subjects = 0;
        for (Path subject : ResultFolder.subjects(dir)) {
            String name = subject.getFileName().toString();
            StateMetrics attn = ResultFolder.open(subject).state("layer1.attn").orElseThrow(() -> new IOException(subject + " has no layer1.attn state"));
            LagProfile p = attn.lag();
            subjects++;
            double max = 0;
            for (int b = 0; b < p.cosine().length; b++) for (int d = 1; d < p.cosine()[b].length; d++) max = Math.max(max, Math.abs(p.cosine()[b][d] - p.theory()[b][d]));
            boolean ok = max <= LAG_TOLERANCE;
            if (ok) agree++;
            int last = p.cosine().length - 1;
            numbers.add(new Verdict.Number(name + (p.window() == null ? " (global)" : " (window " + p.window() + ")") + ": max |c(d) - theory| over bins and lags",
                    Claims.exact(max), LAG_TOLERANCE, "tolerance (ours)", ok ? "agrees" : "disagrees"));
            for (int b = 0; b <= last; b++) {
                numbers.add(new Verdict.Number(String.format("%s recency gap c(1) - c(%d), queries %d-%d", name, p.binEnd()[b] - 1, p.binStart()[b], p.binEnd()[b] - 1),
                        Claims.exact(p.recencyGap()[b]), null, null, ""));
            }
            parts.add(String.format("%s max deviation %.3f, late-bin recency gap %.2f", name, max, p.recencyGap()[last]));
            double[] x = IntStream.range(0, p.cosine()[last].length).asDoubleStream().toArray();
            figures.add(new Figure("lag-" + name, name + ": lag profile of layer1.attn, queries " + p.binStart()[last] + "-" + (p.binEnd()[last] - 1), "lag d",
                    "mean cos(h_i, h_i-d)", Figure.Kind.theory, List.of(new Series("measured", x, Claims.exacts(p.cosine()[last])),
                            new Series("uniform-attention theory", x, Claims.exacts(p.theory()[last]))), null, false, null));
        }
        Status status = agree == subjects ? Status.holds : agree > 0 ? Status.partly : Status.fails;
        return new Verdict("LAG", claim, status, String.join("; ", parts) + String.format(" (tolerance %.2f).", LAG_TOLERANCE), List.of("11-lag-profile"), numbers, figures);
    }

    /**
     * In the first block NoPE's scores cannot depend on the offset (its input carries no position), while RoPE's
     * and ALiBi's can: judged on the trained subjects (NAME-trained) by the offset R^2 averaged over heads; every
     * subject's sink rate is reported beside it.
     */
    static Verdict attention(Path dir) throws IOException {
        String claim = "Beyond the paper: in the first block, how much of the attention scores' variance the offset i - j explains is near 0 for NoPE,"
                + " trained or not, and larger for RoPE and ALiBi once trained; sink rates (attention mass on position 0) of each scheme at init and after training.";
        if (dir == null) return Claims.notRun("ATT", claim, "10-attention-schemes");
        List<Verdict.Number> numbers = new ArrayList<>();
        Map<String, Double> firstBlock = new java.util.LinkedHashMap<>();
        List<Series> lines = new ArrayList<>();
        for (Path subject : ResultFolder.subjects(dir)) {
            String name = subject.getFileName().toString();
            List<AttentionStats> blocks = ResultFolder.open(subject).summary().attention();
            if (blocks == null || blocks.isEmpty()) continue;
            double[] r2 = blocks.stream().mapToDouble(b -> b.heads().stream().mapToDouble(AttentionStats.Head::offsetR2).average().orElse(Double.NaN)).toArray();
            double[] sink = blocks.stream().mapToDouble(b -> b.heads().stream().mapToDouble(AttentionStats.Head::sinkRate).average().orElse(Double.NaN)).toArray();
            firstBlock.put(name, r2[0]);
            for (int l = 0; l < r2.length; l++) {
                numbers.add(new Verdict.Number(name + " block " + (l + 1) + " offset R^2 (mean over heads)", Claims.exact(r2[l]), null, null, ""));
                numbers.add(new Verdict.Number(name + " block " + (l + 1) + " sink rate (mean over heads)", Claims.exact(sink[l]), null, null, ""));
            }
            lines.add(new Series(name, IntStream.rangeClosed(1, r2.length).asDoubleStream().toArray(), Claims.exacts(r2)));
        }
        Double nope = firstBlock.get("nope-trained"), nopeInit = firstBlock.get("nope"), rope = firstBlock.get("rope-trained"), alibi = firstBlock.get("alibi-trained");
        if (nope == null || rope == null || alibi == null) {
            return new Verdict("ATT", claim, Status.not_run, "needs subjects nope-trained, rope-trained and alibi-trained with analysis.attention",
                    List.of("10-attention-schemes"), numbers, List.of());
        }
        boolean nopeFlat = nope < OFFSET_MARGIN && (nopeInit == null || nopeInit < OFFSET_MARGIN);
        int schemes = (rope >= nope + OFFSET_MARGIN ? 1 : 0) + (alibi >= nope + OFFSET_MARGIN ? 1 : 0);
        Status status = nopeFlat && schemes == 2 ? Status.holds : nopeFlat || schemes > 0 ? Status.partly : Status.fails;
        List<String> parts = new ArrayList<>();
        firstBlock.forEach((k, v) -> parts.add(String.format("%s %.3f", k, v)));
        return new Verdict("ATT", claim, status, "first-block offset R^2: " + String.join(", ", parts)
                + String.format(" (a scheme must exceed NoPE by %.2f; NoPE must stay below it).", OFFSET_MARGIN), List.of("10-attention-schemes"), numbers,
                List.of(new Figure("attention-offset", "Share of score variance the offset explains, by block", "block", "offset R^2", Figure.Kind.estimates, lines, null, false, null)));
    }

    /** The share of its shortest-length ap_nn a subject keeps at the longest length: below FADED it fades, from HELD on it holds. */
    static final double FADED = 0.5, HELD = 0.6;

    /** Global NoPE's adjacency fades with length at random init; a sliding window's holds (last layer, sweep over input.seq_len). */
    static Verdict length(Path dir) throws IOException {
        String claim = "Beyond the paper (Dawes et al.): at random init the global-NoPE adjacency signal fades as sequences grow, while sliding-window"
                + " attention keeps it.";
        String experiment = "12-length-axis";
        if (dir == null) return Claims.notRun("LEN", claim, experiment);
        org.nopelab.core.run.SweepSummary s = org.nopelab.core.run.SweepRunner.read(dir);
        int last = s.layers() - 1;
        List<Verdict.Number> numbers = new ArrayList<>();
        List<Series> lines = new ArrayList<>();
        Map<String, Double> kept = new java.util.LinkedHashMap<>();
        for (String subject : s.subjectNames()) {
            List<Double> x = new ArrayList<>();
            List<Estimate> y = new ArrayList<>();
            for (org.nopelab.core.run.SweepSummary.Cell c : s.cells()) {
                Estimate e = s.value(c, subject, last, "ap_nn");
                Estimate chance = s.value(c, subject, last, "ap_nn_chance");
                if (e == null) continue;
                double n = c.values().get("input.seq_len").asDouble();
                x.add(n);
                y.add(e);
                numbers.add(new Verdict.Number(String.format("%s layer%d ap_nn at %d positions", subject, last, (int) n), e, chance == null ? null : chance.mean(),
                        "chance", ""));
            }
            if (y.size() < 2) continue;
            kept.put(subject, y.get(y.size() - 1).mean() / y.get(0).mean());
            lines.add(new Series(subject, x.stream().mapToDouble(Double::doubleValue).toArray(), y.toArray(Estimate[]::new)));
        }
        Double global = kept.get("global"), window = kept.get("window");
        if (global == null || window == null) return new Verdict("LEN", claim, Status.not_run, "needs subjects global and window over input.seq_len",
                List.of(experiment), numbers, List.of());
        boolean fades = global < FADED, holds = window >= HELD;
        Status status = fades && holds ? Status.holds : fades || holds ? Status.partly : Status.fails;
        return new Verdict("LEN", claim, status, String.format("layer%d ap_nn at the longest length keeps %.0f%% of its shortest-length value under global attention and"
                + " %.0f%% under the window (fades below %.0f%%, holds from %.0f%%).", last, 100 * global, 100 * window, 100 * FADED, 100 * HELD), List.of(experiment), numbers,
                List.of(new Figure("length-axis", "Last-layer ap_nn by sequence length, random init", "positions", "ap_nn", Figure.Kind.estimates, lines, null, true, null)));
    }
}
