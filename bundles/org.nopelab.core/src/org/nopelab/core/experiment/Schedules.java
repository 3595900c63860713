package org.nopelab.core.experiment;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.Rope;

/**
 * The rules of a per-block schedule that JSON Schema cannot say: list lengths against layers, nope_every beside
 * the scheme it interleaves, a RoPE that rotates something, a window shorter than the sequence. Each problem is
 * reported at the entry that causes it, for the model section and for each subject that sets its own schedule.
 */
final class Schedules {
    private Schedules() {}

    static void check(JsonNode r, JsonNode raw, LocatedTree tree, List<Problem> problems) {
        JsonNode model = r.path("model");
        int layers = ExperimentReader.positive(model.path("layers")), seqLen = ExperimentReader.positive(r.path("input").path("seq_len"));
        if (layers == 0) return;
        int headDim = ExperimentReader.positive(model.path("d_model")) / Math.max(1, ExperimentReader.positive(model.path("heads")));
        one(model, "/model", layers, headDim, seqLen, tree, problems);
        JsonNode subjects = raw.path("subjects");
        for (int i = 0; subjects.isArray() && i < subjects.size(); i++) {
            JsonNode s = subjects.get(i);
            boolean position = s.has("pe") || s.has("layers_pe") || s.has("nope_every");
            boolean attention = s.has("attention") || s.has("layers_attention") || s.has("window");
            if (!position && !attention) continue;
            // the subject's effective section: its own fields, the model's where it inherits (see Subject.modelFor)
            com.fasterxml.jackson.databind.node.ObjectNode eff = model.deepCopy();
            for (String k : List.of("pe", "attention", "window")) if (s.has(k)) eff.set(k, s.get(k));
            for (String k : List.of("layers_pe", "nope_every")) if (position) {
                if (s.has(k)) eff.set(k, s.get(k));
                else eff.remove(k);
            }
            if (attention) {
                if (s.has("layers_attention")) eff.set("layers_attention", s.get("layers_attention"));
                else eff.remove("layers_attention");
            }
            List<Problem> found = new ArrayList<>();
            one(eff, "/subjects/" + i, layers, headDim, seqLen, tree, found);
            // a rule broken by a field the subject inherits is the model's problem, already reported
            for (Problem p : found) if (s.has(p.path().substring(p.path().lastIndexOf('.') + 1))) problems.add(p);
        }
    }

    private static void one(JsonNode m, String at, int layers, int headDim, int seqLen, LocatedTree tree, List<Problem> problems) {
        String pe = m.path("pe").asText("none");
        String name = at.replaceFirst("^/", "").replace('/', '.');
        for (String list : List.of("layers_pe", "layers_attention")) {
            JsonNode l = m.path(list);
            if (l.isArray() && !l.isEmpty() && layers % l.size() != 0) {
                problems.add(error(tree, at + "/" + list, name + "." + list + ": " + l.size() + " entries for " + layers + " blocks; give one per block or a"
                        + " pattern that repeats evenly, of length " + divisors(layers)));
            }
        }
        JsonNode every = m.path("nope_every");
        if (ExperimentReader.positive(every) > 0) {
            if (m.has("layers_pe")) {
                problems.add(error(tree, at + "/nope_every", name + ".nope_every: give either layers_pe or nope_every, not both (layers_pe already names every block's scheme)"));
            } else if (!PositionalEncoding.rope.name().equals(pe) && !PositionalEncoding.alibi.name().equals(pe)) {
                problems.add(error(tree, at + "/nope_every", name + ".nope_every: the blocks between the NoPE ones use pe, which is '" + pe
                        + "'" + (pe.equals("none") ? "" : " (added to the input once, not a block's scheme)") + "; set pe: rope or pe: alibi"));
            } else if (every.asInt() > layers) {
                problems.add(warning(tree, at + "/nope_every", name + ".nope_every: " + every.asInt() + " is more than the " + layers
                        + " blocks, so no block is NoPE"));
            }
        }
        boolean rope = PositionalEncoding.rope.name().equals(pe) && !m.has("layers_pe");
        for (JsonNode e : m.path("layers_pe")) rope |= PositionalEncoding.rope.name().equals(e.asText());
        double fraction = m.path("rope").path("fraction").asDouble(1.0);
        if (rope && headDim > 0 && Rope.rotated(headDim, fraction) == 0) {
            String pointer = m.path("rope").has("fraction") ? "/model/rope/fraction" : at + "/pe";
            problems.add(error(tree, pointer, "model.rope.fraction: " + fraction + " of head_dim " + headDim
                    + " rotates no pair of dimensions (2 floor(fraction head_dim / 2) = 0): RoPE would change nothing"));
        }
        boolean window = "sliding_window".equals(m.path("attention").asText()) && !m.has("layers_attention");
        for (JsonNode e : m.path("layers_attention")) window |= "sliding_window".equals(e.asText());
        int w = ExperimentReader.positive(m.path("window"));
        if (window && w > 0 && seqLen > 0 && w >= seqLen) {
            problems.add(warning(tree, m.has("window") && at.startsWith("/subjects") ? at + "/window" : "/model/window", name + ".window: " + w
                    + " keys cover all of input.seq_len " + seqLen + ", so sliding_window attends as globally as causal"));
        }
    }

    private static String divisors(int n) {
        List<String> d = new ArrayList<>();
        for (int k = 1; k <= n; k++) if (n % k == 0) d.add(Integer.toString(k));
        return String.join(", ", d);
    }

    private static Problem error(LocatedTree tree, String pointer, String message) {
        return ExperimentReader.at(tree.locate(pointer, false), pointer, message);
    }

    private static Problem warning(LocatedTree tree, String pointer, String message) {
        Problem p = error(tree, pointer, message);
        return new Problem(Problem.Severity.warning, p.line(), p.column(), p.path(), p.message());
    }
}
