package org.nopelab.core.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.nopelab.core.model.PositionalEncoding;

/**
 * Reads an experiment file (YAML; JSON is valid YAML) and reports every problem at once, each with its line,
 * column and a message in the file's own vocabulary. Never throws for bad input.
 */
public final class ExperimentReader {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ExperimentSchema.root(), SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build());

    /** The outcome: the experiment (null when any error was found), the defaults-filled tree, and the problems. */
    public record Result(Experiment experiment, ObjectNode resolved, List<Problem> problems) {
        public boolean ok() {
            return experiment != null;
        }
    }

    public static Result read(Path file) {
        try {
            return read(Files.readString(file));
        } catch (IOException e) {
            return failed(new Problem(Problem.Severity.error, 1, 1, "", "cannot read " + file + ": " + e.getMessage()));
        }
    }

    public static Result read(String text) {
        LocatedTree tree = new LocatedTree();
        JsonNode node;
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            node = tree.read(p);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            return failed(new Problem(Problem.Severity.error, l == null ? 1 : Math.max(1, l.getLineNr()),
                    l == null ? 1 : Math.max(1, l.getColumnNr()), "", "not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return failed(new Problem(Problem.Severity.error, 1, 1, "", "cannot read: " + e.getMessage()));
        }
        if (!(node instanceof ObjectNode root)) {
            return failed(new Problem(Problem.Severity.error, 1, 1, "",
                    "expected a mapping of keys such as 'schema: " + Experiment.SCHEMA_ID + "', 'model:', 'input:'"));
        }
        List<Problem> problems = new ArrayList<>();
        tree.duplicates.forEach((pointer, loc) -> problems.add(at(loc, pointer, "duplicate key '" + last(pointer) + "'; the first one counts")));
        for (ValidationMessage m : SCHEMA.validate(root)) problems.add(describe(m, tree));
        ObjectNode resolved = ExperimentSchema.applyDefaults(root.deepCopy());
        checkTogether(resolved, root, tree, problems);
        problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        Experiment experiment = null;
        if (problems.stream().noneMatch(p -> p.severity() == Problem.Severity.error)) {
            try {
                experiment = MAPPER.treeToValue(resolved, Experiment.class);
            } catch (JsonProcessingException e) {
                // the schema should have caught it; report rather than throw
                problems.add(new Problem(Problem.Severity.error, 1, 1, "", "internal: " + e.getOriginalMessage()));
            }
        }
        return new Result(experiment, resolved, List.copyOf(problems));
    }

    /**
     * The experiment of a tree that is already resolved and valid (a sweep's cell: the sweep's tree with one
     * combination set; every value was validated where the sweep was read).
     */
    public static Experiment fromResolved(ObjectNode resolved) {
        try {
            return MAPPER.treeToValue(resolved, Experiment.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a resolved experiment: " + e.getOriginalMessage(), e);
        }
    }

    /** Rules that span fields, which JSON Schema cannot say clearly; each runs only on fields that are valid alone. */
    private static void checkTogether(ObjectNode r, ObjectNode raw, LocatedTree tree, List<Problem> problems) {
        JsonNode model = r.path("model"), input = r.path("input");
        if (!model.isObject() || !input.isObject()) return;
        int d = positive(model.path("d_model")), heads = positive(model.path("heads"));
        if (d > 0 && heads > 0 && d % heads != 0) {
            problems.add(at(tree.locate("/model/heads", false), "/model/heads",
                    "model.heads: d_model " + d + " is not divisible by heads " + heads + "; each head needs a whole width"));
        }
        int seqLen = positive(input.path("seq_len")), maxLen = positive(model.path("max_len"));
        if (PositionalEncoding.learned.name().equals(model.path("pe").asText()) && seqLen > 0 && maxLen > 0 && seqLen > maxLen) {
            problems.add(at(tree.locate("/input/seq_len", false), "/input/seq_len",
                    "input.seq_len: " + seqLen + " is longer than model.max_len " + maxLen + ", the positions a learned encoding covers"));
        }
        checkSubjectsAndTask(r, tree, problems);
        checkSweep(raw, tree, problems);
        if (raw.at("/model/init/std").isNumber() && model.path("init").path("scheme").isTextual()
                && !"normal".equals(model.path("init").path("scheme").asText())) {
            problems.add(new Problem(Problem.Severity.warning, line(tree.locate("/model/init/std", true)), column(tree.locate("/model/init/std", true)),
                    "model.init.std", "model.init.std is ignored: it applies only to scheme normal (scheme is "
                            + model.get("init").get("scheme").asText() + ")"));
        }
    }

    /**
     * Each grid value must be valid where it goes, and each cell must pass the cross-field rules: the problems
     * are found by validating the cell's own tree and are reported at the grid value that causes them.
     */
    private static void checkSweep(ObjectNode raw, LocatedTree tree, List<Problem> problems) {
        if (!(raw.at("/sweep/grid") instanceof ObjectNode grid)) return;
        java.util.Map<String, List<JsonNode>> axes = new java.util.LinkedHashMap<>();
        boolean badValue = false; // cells are checked only when every value is valid alone (no cascading messages)
        for (var it = grid.fields(); it.hasNext();) {
            var axis = it.next();
            String pointer = "/sweep/grid/" + axis.getKey();
            List<String> path = List.of(axis.getKey().split("\\."));
            JsonNode field = ExperimentSchema.field(path);
            if (field == null || field.has("properties") || !axis.getValue().isArray()) {
                if (field == null || field.has("properties")) {
                    String near = Names.nearest(axis.getKey(), ExperimentSchema.sweepable());
                    problems.add(at(tree.locate(pointer, true), pointer, "sweep.grid: '" + axis.getKey() + "' is not a field one can sweep"
                            + (near != null ? "; did you mean '" + near + "'?" : "; use a path such as model.init.std")));
                }
                continue;
            }
            List<JsonNode> values = new ArrayList<>();
            for (int i = 0; i < axis.getValue().size(); i++) {
                JsonNode v = axis.getValue().get(i);
                values.add(v);
                ObjectNode cell = raw.deepCopy();
                cell.remove("sweep");
                Sweep.set(cell, axis.getKey(), v);
                String target = "/" + axis.getKey().replace('.', '/');
                for (ValidationMessage m : SCHEMA.validate(cell)) {
                    if (!m.getInstanceLocation().toString().equals(target)) continue;
                    Problem p = describe(m, new LocatedTree());
                    problems.add(at(tree.locate(pointer + "/" + i, false), pointer + "/" + i, "sweep: " + p.message()));
                    badValue = true;
                }
            }
            axes.put(axis.getKey(), values);
        }
        if (axes.isEmpty() || badValue) return;
        JsonNode seeds = raw.at("/sweep/seeds");
        Sweep sweep = new Sweep(axes, List.of());
        List<Sweep.Cell> cells = sweep.cells();
        long runs = (long) cells.size() * (seeds.isArray() ? Math.max(1, seeds.size()) : 1);
        if (runs > 4096) {
            problems.add(at(tree.locate("/sweep/grid", true), "/sweep/grid", "sweep: " + cells.size() + " cells x "
                    + (runs / cells.size()) + " seeds = " + runs + " runs; at most 4096 runs per sweep"));
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Sweep.Cell c : cells) {
            ObjectNode cell = raw.deepCopy();
            cell.remove("sweep");
            c.values().forEach((k, v) -> Sweep.set(cell, k, v));
            List<Problem> found = new ArrayList<>();
            checkTogether(ExperimentSchema.applyDefaults(cell.deepCopy()), cell, new LocatedTree(), found);
            for (Problem p : found) {
                if (p.severity() != Problem.Severity.error || !seen.add(p.message())) continue;
                String key = c.values().containsKey(p.path()) ? p.path() : c.values().keySet().iterator().next();
                int index = grid.get(key).size() - 1;
                while (index > 0 && !grid.get(key).get(index).equals(c.values().get(key))) index--;
                String pointer = "/sweep/grid/" + key + "/" + index;
                problems.add(at(tree.locate(pointer, false), pointer, "sweep cell " + c.id() + ": " + p.message()));
            }
        }
    }

    private static void checkSubjectsAndTask(ObjectNode r, LocatedTree tree, List<Problem> problems) {
        JsonNode subjects = r.path("subjects"), model = r.path("model"), task = r.path("task");
        boolean trained = false;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < subjects.size(); i++) {
            JsonNode s = subjects.get(i);
            trained |= s.path("trained").asBoolean(false);
            if (s.path("name").isTextual() && !names.add(s.path("name").asText())) {
                problems.add(at(tree.locate("/subjects/" + i + "/name", false), "/subjects/" + i + "/name",
                        "subjects: the name '" + s.path("name").asText() + "' is used twice; each subject needs its own folder"));
            }
        }
        boolean usesTask = trained || "task".equals(r.path("input").path("distribution").asText());
        if (!usesTask || !task.isObject()) return;
        String name = task.path("name").asText();
        int taskVocab = switch (name) {
            case "add3" -> 12;
            case "modp" -> positive(task.path("p")) + 2;
            case "parity" -> 3;
            case "copy" -> 16;
            default -> 0;
        };
        int vocab = positive(model.path("vocab_size"));
        if (vocab > 0 && taskVocab > vocab) {
            problems.add(at(tree.locate("/model/vocab_size", false), "/model/vocab_size", "model.vocab_size: " + vocab
                    + " is smaller than the " + taskVocab + " token ids task " + name + " uses"));
        }
        if (trained && model.path("dropout").asDouble(0) > 0) {
            problems.add(at(tree.locate("/model/dropout", false), "/model/dropout",
                    "model.dropout: training with dropout is not implemented yet; set it to 0 for trained subjects"));
        }
    }

    /** The value if it is a whole number >= 1, else 0 (the schema reports what is wrong with it). */
    private static int positive(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 1 ? n.asInt() : 0;
    }

    private static Problem describe(ValidationMessage m, LocatedTree tree) {
        JsonNodePath at = m.getInstanceLocation();
        String pointer = at.toString();
        List<String> path = new ArrayList<>();
        for (int i = 0; i < at.getNameCount(); i++) path.add(String.valueOf(at.getElement(i)));
        String field = String.join(".", path);
        JsonNode value = m.getInstanceNode();
        JsonNode schema = ExperimentSchema.field(path);
        String shown = value == null ? "" : value.isTextual() ? "'" + value.asText() + "'" : String.valueOf(value);
        String[] fix = {null}; // the nearest valid key or value, offered as a quick fix
        String message = switch (m.getType()) {
            case "additionalProperties" -> {
                String key = m.getProperty();
                List<String> valid = ExperimentSchema.keys(path);
                String near = Names.nearest(key, valid);
                fix[0] = near;
                pointer = pointer + "/" + key;
                yield "unknown key '" + key + "'" + (field.isEmpty() ? "" : " in " + field)
                        + (near != null ? "; did you mean '" + near + "'?" : "; valid keys: " + String.join(", ", valid));
            }
            case "required" -> "missing key '" + m.getProperty() + "'" + (field.isEmpty() ? "" : " in " + field)
                    + ("schema".equals(m.getProperty()) ? " (add 'schema: " + Experiment.SCHEMA_ID + "' as the first line)" : "");
            case "const" -> field + ": " + shown + " is not supported; this release reads '" + schema.get("const").asText() + "'";
            case "enum" -> {
                List<String> allowed = StreamSupport.stream(schema != null && schema.has("enum") ? schema.get("enum").spliterator()
                        : m.getSchemaNode().spliterator(), false).map(JsonNode::asText).toList();
                String near = value != null && value.isTextual() ? Names.nearest(value.asText(), allowed) : null;
                fix[0] = near;
                yield field + ": " + shown + " is not one of " + String.join(", ", allowed) + (near != null ? "; did you mean '" + near + "'?" : "");
            }
            case "type" -> field + ": expected " + expected(schema, m) + ", found " + kind(value) + " " + shown;
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> field + ": " + shown + " is out of range; allowed " + range(schema);
            case "minLength", "maxLength", "pattern" -> field + ": " + shown + " is not allowed: " + description(schema);
            case "minItems" -> field + ": needs at least " + schema.get("minItems").asInt() + " entry";
            case "uniqueItems" -> field + ": lists an entry twice";
            default -> (field.isEmpty() ? "" : field + ": ") + m.getMessage().replaceFirst("^[^:]*: ", "");
        };
        Problem p = at(tree.locate(pointer, "additionalProperties".equals(m.getType())), pointer, message);
        return new Problem(p.severity(), p.line(), p.column(), p.path(), p.message(), fix[0]);
    }

    private static String expected(JsonNode schema, ValidationMessage m) {
        if (schema != null && schema.has("type")) {
            String t = schema.get("type").asText();
            return "integer".equals(t) ? "a whole number" : "number".equals(t) ? "a number" : "boolean".equals(t) ? "true or false"
                    : "object".equals(t) ? "a mapping of keys" : "array".equals(t) ? "a list" : "a " + t;
        }
        return String.valueOf(m.getArguments().length > 1 ? m.getArguments()[1] : "another type");
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "nothing";
        if (v.isTextual()) return "text";
        if (v.isIntegralNumber()) return "the whole number";
        if (v.isNumber()) return "the number";
        if (v.isBoolean()) return "the boolean";
        if (v.isArray()) return "a list";
        return "a mapping";
    }

    private static String range(JsonNode s) {
        String low = s.has("minimum") ? s.get("minimum").asText() + " <= " : s.has("exclusiveMinimum") ? s.get("exclusiveMinimum").asText() + " < " : "";
        String high = s.has("maximum") ? " <= " + s.get("maximum").asText() : s.has("exclusiveMaximum") ? " < " + s.get("exclusiveMaximum").asText() : "";
        return low + "value" + high;
    }

    private static String description(JsonNode s) {
        return s != null && s.has("description") ? s.get("description").asText() : "see the schema";
    }

    private static Problem at(JsonLocation l, String pointer, String message) {
        return new Problem(Problem.Severity.error, line(l), column(l), pointer.replaceFirst("^/", "").replace('/', '.'), message);
    }

    private static int line(JsonLocation l) {
        return l == null ? 1 : Math.max(1, l.getLineNr());
    }

    private static int column(JsonLocation l) {
        return l == null ? 1 : Math.max(1, l.getColumnNr());
    }

    private static String last(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1);
    }

    private static Result failed(Problem p) {
        return new Result(null, null, List.of(p));
    }

}
