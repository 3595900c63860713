package org.nopelab.ui.editor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.contentassist.CompletionProposal;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.contentassist.IContentAssistProcessor;
import org.eclipse.jface.text.contentassist.IContextInformation;
import org.eclipse.jface.text.contentassist.IContextInformationValidator;
import org.eclipse.jface.text.ITextHover;
import org.nopelab.core.experiment.ExperimentSchema;

/**
 * Content assist (keys of the enclosing section, or the allowed values of the key on the line) and hovers
 * (a key's documentation, type, range and default), all read from the experiment schema.
 */
public final class ExperimentAssist implements IContentAssistProcessor, ITextHover {

    @Override
    public ICompletionProposal[] computeCompletionProposals(ITextViewer viewer, int offset) {
        return proposals(viewer.getDocument(), offset);
    }

    /** Proposals at an offset: values after "key: ", else keys of the section. */
    public static ICompletionProposal[] proposals(IDocument doc, int offset) {
        try {
            int line = doc.getLineOfOffset(offset);
            IRegion info = doc.getLineInformation(line);
            String before = doc.get(info.getOffset(), offset - info.getOffset());
            List<String> path = YamlPath.parents(doc, line);
            List<ICompletionProposal> out = new ArrayList<>();
            int colon = before.indexOf(':');
            if (colon > 0) {
                String key = YamlPath.key(before);
                String prefix = before.substring(colon + 1).trim();
                List<String> full = new ArrayList<>(path);
                full.add(key);
                JsonNode field = ExperimentSchema.field(full), documented = field;
                // a list of choices written in flow style (layers_pe: [rope, no): the entry being typed, from the item's values
                if (field != null && field.has("items") && prefix.startsWith("[")) {
                    prefix = prefix.substring(Math.max(prefix.lastIndexOf('['), prefix.lastIndexOf(',')) + 1).trim();
                    field = field.get("items");
                }
                for (String v : values(field)) {
                    if (v.startsWith(prefix)) out.add(new CompletionProposal(v, offset - prefix.length(), prefix.length(), v.length(), null, v, null, doc(documented)));
                }
            } else {
                String prefix = before.trim().replaceFirst("^- ", "");
                boolean grid = isGrid(path); // a sweep's grid is keyed by field paths (model.init.std), not by its own keys
                for (String k : grid ? ExperimentSchema.sweepable() : ExperimentSchema.keys(path)) {
                    List<String> full = new ArrayList<>(grid ? List.of() : path);
                    full.addAll(grid ? List.of(k.split("\\.")) : List.of(k));
                    JsonNode field = ExperimentSchema.field(full);
                    String insert = k + (grid ? ": [" : ": ");
                    if (k.startsWith(prefix)) out.add(new CompletionProposal(insert, offset - prefix.length(), prefix.length(), insert.length(), null, k, null, doc(field)));
                }
            }
            return out.toArray(ICompletionProposal[]::new);
        } catch (BadLocationException e) {
            return new ICompletionProposal[0];
        }
    }

    private static boolean isGrid(List<String> path) {
        return path.equals(List.of("sweep", "grid"));
    }

    private static List<String> values(JsonNode field) {
        List<String> v = new ArrayList<>();
        if (field == null) return v;
        if (field.has("enum")) field.get("enum").forEach(e -> v.add(e.asText()));
        else if (field.has("const")) v.add(field.get("const").asText());
        else if ("boolean".equals(field.path("type").asText())) v.addAll(List.of("true", "false"));
        return v;
    }

    /** A field's one-line doc with its type, range and default. */
    public static String doc(JsonNode field) {
        if (field == null) return null;
        StringBuilder b = new StringBuilder(field.path("description").asText(""));
        if (field.has("enum")) b.append("\nOne of: ").append(allowed(field));
        else if (field.has("type")) b.append("\nType: ").append(field.get("type").asText());
        String range = range(field);
        if (!range.isEmpty()) b.append("\nRange: ").append(range);
        String def = defaultValue(field);
        if (!def.isEmpty()) b.append("\nDefault: ").append(def);
        return b.toString();
    }

    /** "1 .. 64", "> 0 .. ", or "" when the field has no numeric bounds. */
    public static String range(JsonNode field) {
        String low = field.has("minimum") ? field.get("minimum").asText() : field.has("exclusiveMinimum") ? "> " + field.get("exclusiveMinimum").asText() : null;
        String high = field.has("maximum") ? field.get("maximum").asText() : field.has("exclusiveMaximum") ? "< " + field.get("exclusiveMaximum").asText() : null;
        return low == null && high == null ? "" : (low == null ? "" : low) + " .. " + (high == null ? "" : high);
    }

    /** The enum values, else the range, else the type. */
    public static String allowed(JsonNode field) {
        if (field.has("enum")) return String.join(", ", values(field));
        String range = range(field);
        return !range.isEmpty() ? range : field.path("type").asText("");
    }

    /** The default as written in a file ("" for none, and for objects whose fields carry their own). */
    public static String defaultValue(JsonNode field) {
        return field.has("default") && !field.get("default").isObject() ? field.get("default").toString() : "";
    }

    @Override
    public String getHoverInfo(ITextViewer viewer, IRegion region) {
        return hover(viewer.getDocument(), region.getOffset());
    }

    /** The doc of the key on the line under the offset. */
    public static String hover(IDocument doc, int offset) {
        try {
            int line = doc.getLineOfOffset(offset);
            String key = YamlPath.key(YamlPath.text(doc, line));
            if (key == null) return null;
            List<String> path = YamlPath.parents(doc, line);
            if (isGrid(path)) return doc(ExperimentSchema.field(List.of(key.split("\\."))));
            path.add(key);
            return doc(ExperimentSchema.field(path));
        } catch (BadLocationException e) {
            return null;
        }
    }

    @Override
    public IRegion getHoverRegion(ITextViewer viewer, int offset) {
        return new Region(offset, 0);
    }

    @Override public IContextInformation[] computeContextInformation(ITextViewer viewer, int offset) { return null; }
    @Override public char[] getCompletionProposalAutoActivationCharacters() { return new char[] {' '}; }
    @Override public char[] getContextInformationAutoActivationCharacters() { return null; }
    @Override public String getErrorMessage() { return null; }
    @Override public IContextInformationValidator getContextInformationValidator() { return null; }
}
