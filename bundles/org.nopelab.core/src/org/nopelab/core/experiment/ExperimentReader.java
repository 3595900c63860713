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

    /** Largest experiment file read: real ones are a few kB; this keeps /dev/zero or a wrong file from filling the heap. */
    public static final long MAX_BYTES = 1 << 20;

    public static Result read(Path file) {
        try {
            // a FIFO or device would block or never end: only regular files are read, and only small ones
            if (!Files.isRegularFile(file)) {
                return failed(new Problem(Problem.Severity.error, 1, 1, "", "cannot read " + file + ": "
                        + (Files.exists(file) ? (Files.isDirectory(file) ? "it is a folder" : "not a regular file") : "no such file")));
            }
            if (Files.size(file) > MAX_BYTES) {
                return failed(new Problem(Problem.Severity.error, 1, 1, "", file + " is " + Files.size(file) / 1024 + " KiB; an experiment file is at most "
                        + MAX_BYTES / 1024 + " KiB (is it the right file?)"));
            }
            byte[] bytes = Files.readAllBytes(file);
            String text;
            try {
                text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                return failed(new Problem(Problem.Severity.error, 1, 1, "", file + " is not UTF-8 text (is it a binary file?)"));
            }
            // one byte-order mark is how some editors start UTF-8 files; a second one is content, and rejected
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            if (text.startsWith("\uFEFF")) return failed(new Problem(Problem.Severity.error, 1, 1, "", "the file starts with two byte-order marks; remove the second"));
            return read(text);
        } catch (IOException e) {
            return failed(new Problem(Problem.Severity.error, 1, 1, "", "cannot read " + file + ": " + e.getMessage()));
        }
    }

    public static Result read(String text) {
        try {
            return parse(text);
        } catch (RuntimeException | StackOverflowError e) { // a defect of ours, reported as a problem rather than thrown
            return failed(new Problem(Problem.Severity.error, 1, 1, "", INTERNAL + e));
        }
    }

    /** Fewest sequences the probes can split into a fitted part and a held-out part (round(0.8 k) < k). */
    public static final int MIN_PROBE_SEQUENCES = 3;

    /** Most problems listed for one file. */
    public static final int MAX_PROBLEMS = 200;

    /** How a problem that is our defect, not the file's, begins (the fuzz test fails on it). */
    public static final String INTERNAL = "internal error while checking this file (please report it): ";

    private static Result parse(String text) {
        LocatedTree tree = new LocatedTree();
        JsonNode node;
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            node = tree.read(p);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String why = e.getOriginalMessage();
            // the YAML reader (SnakeYAML, YAML 1.1) takes no tab outside quotes: say so plainly, not in parser terms
            if (why != null && why.contains("\\t(TAB)")) why = "a tab character; YAML here separates with spaces only (a tab is allowed inside quotes): replace it with spaces";
            else if (why != null) why = why.lines().findFirst().orElse(why) + (why.contains("\n") ? " (" + why.lines().skip(1).findFirst().orElse("").trim() + ")" : "");
            return failed(new Problem(Problem.Severity.error, l == null ? 1 : Math.max(1, l.getLineNr()),
                    l == null ? 1 : Math.max(1, l.getColumnNr()), "", "not valid YAML: " + why));
        } catch (IOException e) {
            return failed(new Problem(Problem.Severity.error, 1, 1, "", "cannot read: " + e.getMessage()));
        }
        if (!(node instanceof ObjectNode root)) {
            return failed(new Problem(Problem.Severity.error, 1, 1, "",
                    "expected a mapping of keys such as 'schema: " + Experiment.SCHEMA_ID + "', 'model:', 'input:'"));
        }
        List<Problem> problems = new ArrayList<>();
        tree.duplicates.forEach((pointer, loc) -> problems.add(at(loc, pointer, "duplicate key '" + last(pointer) + "'; the first one counts")));
        tree.refused.forEach((pointer, e) -> problems.add(at(e.getKey(), pointer, (pointer.isEmpty() ? "" : field(pointer) + ": ") + e.getValue())));
        tree.rounded.forEach((pointer, e) -> problems.add(new Problem(Problem.Severity.warning, line(e.getKey()), column(e.getKey()), field(pointer),
                field(pointer) + ": " + e.getValue())));
        for (ValidationMessage m : SCHEMA.validate(root)) {
            // a value already refused (an alias) is not reported again as the null it was read as
            if (!tree.refused.containsKey(m.getInstanceLocation().toString())) problems.add(describe(m, tree));
        }
        ObjectNode resolved = ExperimentSchema.applyDefaults(root.deepCopy());
        checkTogether(resolved, root, tree, problems);
        problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        if (problems.size() > MAX_PROBLEMS) { // a wrong file can have thousands; the first ones say what is wrong
            Problem last = problems.get(MAX_PROBLEMS - 1);
            int more = problems.size() - MAX_PROBLEMS;
            problems.subList(MAX_PROBLEMS, problems.size()).clear();
            problems.add(new Problem(Problem.Severity.error, last.line(), last.column(), "", "and " + more + " more problems not listed"));
        }
        Experiment experiment = null;
        if (problems.stream().noneMatch(p -> p.severity() == Problem.Severity.error)) {
            try {
                experiment = MAPPER.treeToValue(resolved, Experiment.class);
            } catch (JsonProcessingException e) {
                // the schema should have caught it; report rather than throw
                problems.add(new Problem(Problem.Severity.error, 1, 1, "", INTERNAL + e.getOriginalMessage()));
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
        // probes fit on 80% of the sequences and score the rest: with fewer than 3 nothing is held out
        JsonNode analysis = r.path("analysis");
        int samples = positive(input.path("samples")), kept = Math.min(samples, Math.max(1, positive(analysis.path("probe_samples"))));
        if (analysis.path("probes").asBoolean(true) && samples > 0 && kept < MIN_PROBE_SEQUENCES) {
            problems.add(at(tree.locate("/input/samples", false), "/input/samples", "input.samples: " + samples + " sequences are too few for the probes, which fit on 80% and"
                    + " hold out the rest: give at least " + MIN_PROBE_SEQUENCES + ", or set analysis.probes: false"));
        }
        checkFolderName(raw.path("name"), "/name", tree, problems);
        Schedules.check(r, raw, tree, problems);
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
            java.util.Set<Object> distinct = new java.util.HashSet<>();
            for (int i = 0; i < axis.getValue().size(); i++) {
                JsonNode v = axis.getValue().get(i);
                values.add(v);
                // 1 and 1.0 are one value to the program, though JSON Schema's uniqueItems tells them apart
                if (!distinct.add(v.isNumber() ? (Object) v.asDouble() : v)) {
                    problems.add(at(tree.locate(pointer + "/" + i, false), pointer + "/" + i, "sweep.grid." + axis.getKey() + ": lists " + v + " twice"
                            + (v.isNumber() ? " (as a number it equals an earlier entry)" : "")));
                    badValue = true;
                }
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
        // count before expanding: 5 axes of 32 values are 33 million cells, which must not be built to be refused
        long cellCount = 1;
        for (List<JsonNode> v : axes.values()) cellCount *= Math.max(1, v.size());
        long seedCount = seeds.isArray() ? Math.max(1, seeds.size()) : 1, runs = cellCount * seedCount;
        if (runs > Sweep.MAX_RUNS) {
            problems.add(at(tree.locate("/sweep/grid", true), "/sweep/grid", "sweep: " + cellCount + " cells x "
                    + seedCount + " seeds = " + runs + " runs; at most " + Sweep.MAX_RUNS + " runs per sweep"));
            return;
        }
        if (axes.values().stream().anyMatch(List::isEmpty)) return; // minItems reports the empty axis
        List<Sweep.Cell> cells = new Sweep(axes, List.of()).cells();
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

    /**
     * Names become folder names: letters, digits and . _ - only, in full (the schema's pattern lets a final
     * newline of a block scalar through), and never "." or "..", which would write into the parent folder.
     */
    private static void checkFolderName(JsonNode name, String pointer, LocatedTree tree, List<Problem> problems) {
        if (!name.isTextual()) return;
        String n = name.asText();
        String why = n.equals(".") || n.equals("..") ? "'" + n + "' is not a folder of its own"
                : !n.isEmpty() && !n.matches("[A-Za-z0-9._-]+") ? "'" + n.replace("\n", "\\n") + "' holds characters a folder name may not (letters, digits, . _ - only)" : null;
        if (why != null && problems.stream().noneMatch(p -> p.path().equals(field(pointer)))) problems.add(at(tree.locate(pointer, false), pointer, field(pointer) + ": " + why));
    }

    private static void checkSubjectsAndTask(ObjectNode r, LocatedTree tree, List<Problem> problems) {
        JsonNode subjects = r.path("subjects"), model = r.path("model"), task = r.path("task");
        boolean trained = false, taskInputs = "task".equals(r.path("input").path("distribution").asText());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; subjects.isArray() && i < subjects.size(); i++) { // not a list: the schema says so
            JsonNode s = subjects.get(i);
            trained |= s.path("trained").asBoolean(false);
            taskInputs |= "task".equals(s.path("distribution").asText());
            checkFolderName(s.path("name"), "/subjects/" + i + "/name", tree, problems);
            if (s.path("name").isTextual() && !names.add(s.path("name").asText())) {
                problems.add(at(tree.locate("/subjects/" + i + "/name", false), "/subjects/" + i + "/name",
                        "subjects: the name '" + s.path("name").asText() + "' is used twice; each subject needs its own folder"));
            }
        }
        boolean usesTask = trained || taskInputs;
        if (!usesTask || !task.isObject()) return;
        String name = task.path("name").asText();
        int start = task.path("curriculum_start").asInt(0), length = task.path("length").asInt(0);
        if (start > 0 && !"parity".equals(name)) {
            problems.add(at(tree.locate("/task/curriculum_start", false), "/task/curriculum_start", "task.curriculum_start: a length curriculum is for parity, not " + name));
        } else if (start > 0 && (start < 2 || start > length)) {
            problems.add(at(tree.locate("/task/curriculum_start", false), "/task/curriculum_start", "task.curriculum_start: " + start
                    + " must lie between 2 and task.length " + length));
        }
        if (task.path("scratchpad").asBoolean(false) && !"parity".equals(name)) {
            problems.add(at(tree.locate("/task/scratchpad", false), "/task/scratchpad", "task.scratchpad: a running-parity scratchpad is for parity, not " + name));
        }
        JsonNode factors = r.path("train").path("length_factors");
        if (trained && factors.isArray() && !factors.isEmpty()) {
            if (!org.nopelab.core.train.LengthGeneralisation.applies(name)) {
                problems.add(at(tree.locate("/train/length_factors", false), "/train/length_factors", "train.length_factors: " + name
                        + " has no length to stretch; length generalisation is for copy and parity"));
            } else {
                int longest = 0;
                for (JsonNode f : factors) longest = Math.max(longest, f.asInt(1));
                int positions; // the task says how many positions its longest evaluation has
                try {
                    positions = org.nopelab.core.train.Task.of(new org.nopelab.core.train.TaskConfig(name, 0, positive(task.path("length")) * longest,
                            task.path("format").asText("plain"), 0, 1, task.path("scratchpad").asBoolean(false))).positions();
                } catch (RuntimeException invalid) {
                    positions = 0;
                }
                boolean learned = "learned".equals(model.path("pe").asText());
                for (JsonNode sub : subjects) learned |= sub.path("trained").asBoolean(false) && "learned".equals(sub.path("pe").asText());
                int maxLen = positive(model.path("max_len"));
                if (learned && maxLen > 0 && positions > maxLen) {
                    problems.add(at(tree.locate("/train/length_factors", false), "/train/length_factors", "train.length_factors: the longest evaluation has "
                            + positions + " positions but model.max_len " + maxLen + " covers fewer, so a learned encoding has no embedding for the rest; raise max_len"));
                }
            }
        }
        int taskVocab; // the task knows its own vocabulary: asked, not restated here
        try {
            taskVocab = org.nopelab.core.train.Task.of(new org.nopelab.core.train.TaskConfig(name, positive(task.path("p")), positive(task.path("length")),
                    task.path("format").asText("plain"), 0, 1, task.path("scratchpad").asBoolean(false))).vocabSize();
        } catch (RuntimeException invalid) { // an invalid task section: the schema reports it
            taskVocab = 0;
        }
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
    static int positive(JsonNode n) {
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
        String shown = shown(value);
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
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> field + ": " + shown + " is out of range; allowed "
                    + (schema != null ? range(schema) : m.getMessage().replaceFirst("^[^:]*: ", ""));
            case "minLength", "maxLength", "pattern" -> field + ": " + shown + " is not allowed: " + description(schema);
            case "minItems" -> field + ": needs at least " + (schema != null && schema.has("minItems") ? schema.get("minItems").asInt() : m.getSchemaNode().asInt(1)) + " entry";
            case "uniqueItems" -> field + ": lists an entry twice";
            default -> (field.isEmpty() ? "" : field + ": ") + m.getMessage().replaceFirst("^[^:]*: ", "");
        };
        Problem p = at(tree.locate(pointer, "additionalProperties".equals(m.getType())), pointer, message);
        return new Problem(p.severity(), p.line(), p.column(), p.path(), p.message(), fix[0]);
    }

    /**
     * A value as a message shows it: scalars in full (text up to 80 characters), small containers as JSON, large
     * ones not at all (serialising the whole tree for each of 20,000 messages made validation quadratic).
     */
    static String shown(JsonNode value) {
        if (value == null) return "";
        if (value.isTextual()) return "'" + (value.asText().length() > 80 ? value.asText().substring(0, 80) + "..." : value.asText()) + "'";
        if (value.isContainerNode() && value.size() > 5) return value.isArray() ? "(a list of " + value.size() + ")" : "(a mapping of " + value.size() + " keys)";
        String s = String.valueOf(value);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
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

    static Problem at(JsonLocation l, String pointer, String message) {
        return new Problem(Problem.Severity.error, line(l), column(l), pointer.replaceFirst("^/", "").replace('/', '.'), message);
    }

    private static int line(JsonLocation l) {
        return l == null ? 1 : Math.max(1, l.getLineNr());
    }

    private static int column(JsonLocation l) {
        return l == null ? 1 : Math.max(1, l.getColumnNr());
    }

    /** "/model/init/std" -> "model.init.std". */
    private static String field(String pointer) {
        return pointer.replaceFirst("^/", "").replace('/', '.');
    }

    private static String last(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1);
    }

    private static Result failed(Problem p) {
        return new Result(null, null, List.of(p));
    }

}
