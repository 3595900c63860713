package org.nopelab.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.nopelab.core.bench.EngineBenchmark.Size;
import org.nopelab.core.bench.EngineBenchmark;
import org.nopelab.core.engines.Engines;
import org.nopelab.core.io.AtomicFolder;

/**
 * `nopelab bench`: NoPE Lab's engine against PyTorch on the CPU of this machine, same weights and batch. For
 * each size it first checks that both compute the same hidden states, loss and gradients (no ratio is
 * reported otherwise), then times both, PyTorch's runs in turn with ours, and prints one table: median training step and analysis pass, peak
 * RSS, achieved GFLOP/s and the ratio NoPE Lab / PyTorch (below 1 = NoPE Lab is faster).
 */
final class Bench {
    /** float32 agreement: states relative to each state's largest magnitude, gradients to the largest gradient. */
    static final double STATES_TOL = 1e-4, LOSS_TOL = 1e-5, GRADIENTS_TOL = 1e-4;

    private Bench() {}

    static int run(String python, Path pytorchScript, List<String> sizeNames, int repeats, int threads, Path table, boolean profile, PrintStream out)
            throws IOException, InterruptedException {
        List<Size> sizes = EngineBenchmark.SIZES.stream().filter(s -> sizeNames.isEmpty() || sizeNames.contains(s.name())).toList();
        if (sizes.isEmpty()) throw new IllegalArgumentException("no such size; sizes: " + EngineBenchmark.SIZES.stream().map(Size::name).toList());
        if (!Files.isRegularFile(pytorchScript)) throw new IllegalArgumentException(pytorchScript + " not found (the benchmark's PyTorch side)");
        Engines.threads(threads);
        List<String> rows = new ArrayList<>();
        rows.add("| size | threads | train step ms, wall (CPU): NoPE Lab / PyTorch | ratio wall (CPU) | analysis pass ms, wall (CPU): NoPE Lab / PyTorch | ratio wall (CPU)"
                + " | peak RSS MB NoPE Lab / PyTorch | ratio | train GFLOP/s NoPE Lab / PyTorch | agreement (max rel. diff: states, loss, gradients) |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|");
        Path work = Files.createTempDirectory("nopelab-bench");
        Map<String, String> engine = Engines.standard().versions();
        String ours = "NoPE Lab: ND4J " + engine.get("backend") + ", BLAS kernels " + engine.get("blas_core") + ", fused kernels " + engine.get("kernels"), theirs = "";
        try {
            for (Size s : sizes) {
                out.printf("%s: B %d x T %d, d_model %d, %d layers, %d heads, %d thread(s)%n", s.name(), s.batch(), s.positions(), s.dModel(), s.layers(), s.heads(),
                        Math.max(threads, 1));
                EngineBenchmark.Setup setup = EngineBenchmark.setup(s);
                Path dir = work.resolve(s.name());
                EngineBenchmark.prepare(s, setup, dir);
                JsonNode hello, last;
                EngineBenchmark.Timing java;
                try (PyTorchSide torch = PyTorchSide.start(python, pytorchScript, dir, s.analysisOnly(), threads)) {
                    hello = torch.hello();
                    java = EngineBenchmark.time(s, setup, repeats, torch); // its runs in turn with ours
                    last = torch.finish();
                }
                theirs = "PyTorch " + hello.path("torch").asText() + ": " + last.path("blas").asText() + ", kernels " + last.path("core").asText();
                JsonNode agree = hello.path("agreement");
                double states = agree.path("hidden_states").asDouble(Double.NaN);
                double loss = agree.path("loss").asDouble(0), grads = agree.path("gradients").asDouble(0);
                boolean same = states < STATES_TOL && loss < LOSS_TOL && grads < GRADIENTS_TOL;
                String agreement = String.format("%.1e, %s, %s%s", states, s.analysisOnly() ? "-" : String.format("%.1e", loss),
                        s.analysisOnly() ? "-" : String.format("%.1e", grads), same ? "" : " **DISAGREE: no ratio**");
                EngineBenchmark.Ms ptTrain = java.rivalTrain(), ptAnalysis = java.rivalAnalysis();
                double ptRss = last.path("peak_rss_mb").asDouble();
                String row = String.format("| %s | %d | %s | %s | %s | %s | %.0f / %.0f | %s | %s | %s |", s.name(), Math.max(threads, 1),
                        s.analysisOnly() ? "-" : pair(java.train(), ptTrain), s.analysisOnly() ? "-" : ratios(same, java.train(), ptTrain),
                        pair(java.analysis(), ptAnalysis), ratios(same, java.analysis(), ptAnalysis),
                        java.peakRssMb(), ptRss, ratio(same, java.peakRssMb(), ptRss),
                        s.analysisOnly() ? "-" : String.format("%.1f / %.1f", s.trainFlops() / java.train().wall() / 1e6, s.trainFlops() / ptTrain.wall() / 1e6),
                        agreement);
                out.println(row);
                rows.add(row);
                if (profile) { // where the time goes, beside the table: TABLE.SIZE.profile.txt
                    String p = EngineBenchmark.profile(s, setup);
                    Path file = table.resolveSibling(table.getFileName().toString().replaceFirst("\\.md$", "") + "." + s.name() + ".profile.txt");
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    AtomicFolder.writeString(file, p + "\n");
                    out.println("profile: " + file.toAbsolutePath());
                }
            }
        } finally {
            AtomicFolder.deleteTree(work); // the model, batch and states handed to PyTorch: hundreds of MB at the long sizes
        }
        String header = String.format("NoPE Lab engine benchmark, %s, %s, median of %d after warm-up, NoPE Lab's and PyTorch's runs taken in turn%n%n- %s%n- %s%n%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16), cpu(), repeats, ours, theirs);
        // an existing table gets these rows appended: ./nopelab bench runs each size in a fresh process, so
        // one size's peak memory (ND4J keeps its workspaces) does not count against the next
        String text = Files.isRegularFile(table)
                ? Files.readString(table) + String.join("\n", rows.subList(2, rows.size())) + "\n"
                : header + String.join("\n", rows) + "\n";
        Files.createDirectories(table.toAbsolutePath().getParent());
        AtomicFolder.writeString(table, text);
        out.println("table: " + table.toAbsolutePath());
        return HeadlessApplication.OK;
    }

    private static String pair(EngineBenchmark.Ms ours, EngineBenchmark.Ms theirs) {
        return String.format("%.1f (%.1f) / %.1f (%.1f)", ours.wall(), ours.cpu(), theirs.wall(), theirs.cpu());
    }

    private static String ratios(boolean same, EngineBenchmark.Ms ours, EngineBenchmark.Ms theirs) {
        return ratio(same, ours.wall(), theirs.wall()) + " (" + ratio(same, ours.cpu(), theirs.cpu()) + ")";
    }

    private static String ratio(boolean same, double ours, double theirs) {
        if (!same) return "-";
        if (Double.isNaN(ours) || Double.isNaN(theirs)) return "-";
        return String.format("%.2f", ours / theirs);
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.replaceFirst("^model name\\s*:\\s*", "")).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static List<String> list(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }
}
