package org.nopelab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.Subject;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.WeightInit;
import org.nopelab.core.train.Task;
import org.nopelab.nd4j.Nd4jContext;

/**
 * What a run will hold in memory at its peak, estimated from the experiment before anything runs, so that a model
 * or input too large for this process is refused with the number and the setting to lower, instead of growing for
 * minutes and dying of "Java heap space". Two pools: the Java heap (-Xmx, NOPELAB_XMX) and ND4J's native memory
 * (JavaCPP's limit, the same size by default). Each part names the setting that shrinks it. The counts follow
 * what the engine and the analysis allocate (see {@link Analysis}); they are an estimate, meant to tell a run that
 * fits from one that is many times too large, and err on the large side.
 */
public record MemoryEstimate(List<Part> parts) {
    /** One allocation: how many bytes, in which pool, and which setting makes it smaller. */
    public record Part(String what, Pool pool, double bytes, String lever) {}

    public enum Pool { heap, nativeMemory }

    /** The limits of this process and machine. */
    public record Limits(double heap, double nativeMemory, double machine) {
        /** This process's limits: they do not change while it runs, so they are read once (validation asks per keystroke). */
        public static Limits current() {
            return Measured.LIMITS;
        }

        /** Measured on first use (the holder idiom: the JVM makes it once, thread-safe). */
        private static final class Measured {
            static final Limits LIMITS = measure();
        }

        private static Limits measure() {
            double heap = Runtime.getRuntime().maxMemory();
            double nat = Nd4jContext.call(() -> (double) org.bytedeco.javacpp.Pointer.maxBytes());
            double machine = Double.POSITIVE_INFINITY;
            try {
                for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (l.startsWith("MemTotal:")) machine = Double.parseDouble(l.replaceAll("\\D+", "")) * 1024;
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux: the heap and native limits still apply
            }
            return new Limits(heap, nat <= 0 ? heap : nat, machine);
        }
    }

    /** Usable share of each limit: the JVM, ND4J's workspaces and the OS need the rest. */
    public static final double USABLE = 0.85;

    public static MemoryEstimate of(Experiment e) {
        List<Part> parts = new ArrayList<>();
        ModelConfig m = e.model();
        double params = WeightInit.shapes(m).values().stream().mapToDouble(s -> {
            double n = 1;
            for (long d : s) n *= d;
            return n;
        }).sum();
        int subjects = e.subjects().size();
        // weights: a float32 copy per subject kept until the result is written, and ND4J's copy of the one in use
        parts.add(new Part("model weights (" + fmtCount(params) + " parameters x " + subjects + " subject" + (subjects == 1 ? "" : "s") + ")",
                Pool.heap, 4 * params * subjects, "model.d_model, model.d_ff or model.layers"));
        parts.add(new Part("model weights in ND4J", Pool.nativeMemory, 4 * params, "model.d_model, model.d_ff or model.layers"));

        double b = Math.min(e.analysis().batchSize(), e.input().samples()), n = e.input().seqLen(), d = m.dModel(), ff = m.dFf(), h = m.heads();
        double samples = e.input().samples(), layers = m.layers(), vocab = m.vocabSize();
        double analysed = Analysis.stateNames(e).size();
        double everyState = 6 * layers + 3; // what one forward pass captures (sublayers too), each [batch, positions, width]
        double perLayer = b * n * (9 * d + 2 * ff) + 3 * b * h * n * n; // qkv, LN, attention scores and probabilities, MLP
        boolean reference = "reference".equals(e.analysis().engine());
        double stateBytes = reference ? 12 : 4; // the reference engine keeps float64 beside the float32 copy
        parts.add(new Part("one forward pass of " + (int) b + " sequences", reference ? Pool.heap : Pool.nativeMemory,
                4 * (perLayer * layers + b * n * vocab) * (reference ? 2 : 1), "analysis.batch_size or input.seq_len"));
        parts.add(new Part("captured hidden states of one batch", Pool.heap, stateBytes * everyState * b * n * d + 4 * b * n * vocab, "analysis.batch_size or input.seq_len"));
        // similarity matrices of one state and batch in float64: normalised copy and result natively, the result in Java
        parts.add(new Part("self-similarity matrices of one batch", Pool.nativeMemory, 8 * (b * n * d + 2 * b * n * n), "analysis.batch_size or input.seq_len"));
        parts.add(new Part("self-similarity matrices of one batch in Java", Pool.heap, 8 * 2 * b * n * n, "analysis.batch_size or input.seq_len"));
        // per analysed state: the running sum and mean matrix, per-sequence scores, the variance signal
        parts.add(new Part("mean matrices and per-sequence scores of " + (int) analysed + " states x " + subjects + " subjects", Pool.heap,
                subjects * analysed * (2 * 8 * n * n + samples * (24 * e.analysis().scores().size() + 8 * n)), "input.samples or input.seq_len"));
        parts.add(new Part("input tokens", Pool.heap, samples * (16 + 4 * n), "input.samples"));
        if (e.analysis().attention() && n <= org.nopelab.core.experiment.AnalysisConfig.ATTENTION_MAX_POSITIONS) {
            // every block's probabilities and scores of one batch in Java, and per head the running sums
            parts.add(new Part("attention of one batch (" + (int) layers + " blocks)", Pool.heap, 2 * 4 * layers * b * h * n * n + 8 * layers * h * n * n,
                    "analysis.batch_size (or analysis.attention: false)"));
        }
        if (e.analysis().probes()) {
            double kept = Math.min(samples, e.analysis().probeSamples());
            parts.add(new Part("probe states (" + (int) kept + " sequences x " + (int) analysed + " states)", Pool.heap, stateBytes * analysed * kept * n * d,
                    "analysis.probe_samples (or analysis.probes: false)"));
            parts.add(new Part("probe design matrices", Pool.heap, 3 * 8 * 7 * kept * n, "analysis.probe_samples"));
        }
        if (e.subjects().stream().anyMatch(Subject::isTrained)) {
            double tb = e.train().batchSize(), tn = Task.of(e.task()).positions();
            double eval = e.train().evalSamples();
            // parameters, gradients and both Adam moments, in Java and in ND4J
            parts.add(new Part("training state (weights, gradients, Adam moments)", Pool.heap, 4 * 4 * params, "model.d_model, model.d_ff or model.layers"));
            parts.add(new Part("training state in ND4J", Pool.nativeMemory, 4 * 4 * params, "model.d_model, model.d_ff or model.layers"));
            double actPerLayer = tb * tn * (14 * d + 4 * ff) + 4 * tb * h * tn * tn; // forward activations kept for the backward pass
            parts.add(new Part("activations of one training step (" + (int) tb + " sequences)", Pool.nativeMemory,
                    4 * (actPerLayer * layers + 3 * tb * tn * vocab), "train.batch_size"));
            parts.add(new Part("held-out evaluation set", Pool.heap, eval * (16 + 8 * tn), "train.eval_samples"));
        }
        return new MemoryEstimate(List.copyOf(parts));
    }

    /** Why this experiment cannot run in this process, or null: {@link #refusal(Experiment, com.fasterxml.jackson.databind.node.ObjectNode, Limits)} at {@link Limits#current()}. */
    public static String refusal(Experiment e, com.fasterxml.jackson.databind.node.ObjectNode resolved) {
        return refusal(e, resolved, Limits.current());
    }

    /**
     * Why this experiment cannot run in these limits, or null. A sweep is judged by its largest cell (its cells run
     * one after another), named in the message.
     */
    public static String refusal(Experiment e, com.fasterxml.jackson.databind.node.ObjectNode resolved, Limits limits) {
        if (!e.isSweep()) return of(e).refusal(limits);
        String worst = null;
        double most = -1;
        for (org.nopelab.core.experiment.Sweep.Cell c : e.sweep().cells()) {
            Experiment cell = org.nopelab.core.experiment.ExperimentReader.fromResolved(org.nopelab.core.experiment.Sweep.cellTree(resolved, c, e.seed()));
            MemoryEstimate m = of(cell);
            double total = m.bytes(Pool.heap) + m.bytes(Pool.nativeMemory);
            String why = m.refusal(limits);
            if (why != null && total > most) {
                most = total;
                worst = "sweep cell " + c.id() + ": " + why;
            }
        }
        return worst;
    }

    public double bytes(Pool pool) {
        return parts.stream().filter(p -> p.pool() == pool).mapToDouble(Part::bytes).sum();
    }

    /** Why the run does not fit these limits, naming the largest parts and what to lower; null when it fits. */
    public String refusal(Limits limits) {
        double heap = bytes(Pool.heap), nat = bytes(Pool.nativeMemory);
        List<String> short_ = new ArrayList<>();
        if (heap > USABLE * limits.heap()) short_.add("Java heap");
        if (nat > USABLE * limits.nativeMemory()) short_.add("native memory");
        if (heap + nat > USABLE * limits.machine()) short_.add("machine's memory");
        if (short_.isEmpty()) return null;
        String pool = String.join(" and the ", short_);
        List<Part> largest = parts.stream().sorted(Comparator.comparingDouble(Part::bytes).reversed()).limit(3).toList();
        StringBuilder b = new StringBuilder(String.format("this run needs about %s of Java heap and %s of native memory, more than this process has"
                + " (heap %s, set by NOPELAB_XMX; native %s; machine %s): the %s %s not suffice. Largest parts: ",
                fmt(heap), fmt(nat), fmt(limits.heap()), fmt(limits.nativeMemory()), fmt(limits.machine()), pool, short_.size() == 1 ? "does" : "do"));
        for (int i = 0; i < largest.size(); i++) {
            Part p = largest.get(i);
            b.append(i == 0 ? "" : "; ").append(p.what()).append(' ').append(fmt(p.bytes())).append(" (lower ").append(p.lever()).append(')');
        }
        return b.toString();
    }

    static String fmt(double bytes) {
        if (Double.isInfinite(bytes)) return "unknown";
        return bytes >= 1e9 ? String.format("%.1f GB", bytes / 1e9) : String.format("%.0f MB", bytes / 1e6);
    }

    private static String fmtCount(double n) {
        return n >= 1e9 ? String.format("%.1fG", n / 1e9) : n >= 1e6 ? String.format("%.1fM", n / 1e6) : n >= 1e4 ? String.format("%.0fk", n / 1e3) : String.format("%.0f", n);
    }
}
