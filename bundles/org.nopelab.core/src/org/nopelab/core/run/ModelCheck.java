package org.nopelab.core.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.nopelab.core.experiment.Experiment;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;
import org.nopelab.core.io.Json;
import org.nopelab.core.io.ModelFile;
import org.nopelab.core.model.ModelConfig;
import org.nopelab.core.model.PositionalEncoding;
import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.WeightInit;

/**
 * A model file checked before it is run: its architecture must be one an experiment file could declare (the same
 * schema and rules), every tensor the architecture needs must be there with its exact shape, and every weight
 * must be finite. Each problem names the tensor and what is wrong (IllegalArgumentException: bad input).
 */
public final class ModelCheck {
    private ModelCheck() {}

    public static void check(Path file, ModelFile.Loaded model) {
        ModelConfig c = model.config();
        // the architecture through the experiment reader, so a model file obeys the rules an experiment does
        try {
            // an input the model can take, so that only the model's own rules speak
            int seqLen = Math.max(3, Math.min(32, c.maxLen()));
            String wrapped = "{\"schema\": \"" + Experiment.SCHEMA_ID + "\", \"input\": {\"seq_len\": " + seqLen + "}, \"model\": " + Json.MAPPER.writeValueAsString(c) + "}";
            List<String> errors = ExperimentReader.read(wrapped).problems().stream().filter(p -> p.severity() == Problem.Severity.error).map(Problem::message).toList();
            if (!errors.isEmpty()) throw new IllegalArgumentException(file + ": its architecture (metadata '" + ModelFile.CONFIG_KEY + "') is not valid: " + String.join("; ", errors));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": its architecture cannot be written back: " + e.getOriginalMessage());
        }
        Map<String, long[]> expected = WeightInit.shapes(c);
        List<String> problems = new ArrayList<>();
        for (var e : expected.entrySet()) {
            Tensor t = model.weights().all().get(e.getKey());
            if (t == null) problems.add("tensor '" + e.getKey() + "' is missing");
            else if (!Arrays.equals(t.shape(), e.getValue())) problems.add("tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape()) + ", the architecture needs " + Arrays.toString(e.getValue()));
        }
        for (String name : model.weights().all().keySet()) if (!expected.containsKey(name)) problems.add("tensor '" + name + "' is not part of this architecture");
        if (!problems.isEmpty()) throw new IllegalArgumentException(file + ": " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
        for (var e : model.weights().all().entrySet()) {
            float[] a = e.getValue().data();
            int bad = 0, first = -1;
            for (int k = 0; k < a.length; k++) if (!Float.isFinite(a[k])) { bad++; if (first < 0) first = k; }
            if (bad > 0) throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' holds " + bad + " NaN or infinite value" + (bad == 1 ? "" : "s")
                    + " (the first at element " + first + "); its hidden states would be meaningless");
        }
    }

    /** Token ids for a model: rectangular, non-empty, inside the vocabulary, and no longer than a learned encoding covers. */
    public static void checkTokens(int[][] tokens, ModelConfig c, Path file) {
        if (tokens.length == 0 || tokens[0].length == 0) throw new IllegalArgumentException(file + " holds no tokens");
        for (int s = 0; s < tokens.length; s++) {
            if (tokens[s].length != tokens[0].length) throw new IllegalArgumentException(file + ": sequence " + (s + 1) + " has " + tokens[s].length + " tokens, the first has " + tokens[0].length);
            for (int t : tokens[s]) if (t < 0 || t >= c.vocabSize()) throw new IllegalArgumentException(file + ": sequence " + (s + 1) + " has token " + t + ", outside the vocabulary 0.." + (c.vocabSize() - 1));
        }
        if (c.pe() == PositionalEncoding.learned && tokens[0].length > c.maxLen()) {
            throw new IllegalArgumentException(file + ": sequences of " + tokens[0].length + " tokens are longer than the " + c.maxLen() + " positions the model's learned encoding covers (max_len)");
        }
    }
}
