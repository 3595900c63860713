package org.nopelab.ui.editor;

import java.util.List;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;

/**
 * Reads and writes one block-style key of an experiment file as text, so the form page changes exactly that
 * line and keeps every comment and the order of the file: set a value in place, add a missing key under its
 * section (adding the section when needed), remove the key for "use the default".
 */
final class YamlEdit {
    private YamlEdit() {}

    /** The key at a path in a parsed key tree ({@link ExperimentOutline#keys}), or null when missing. */
    static ExperimentOutline.Key find(List<ExperimentOutline.Key> roots, List<String> path) {
        List<ExperimentOutline.Key> level = roots;
        ExperimentOutline.Key found = null;
        for (String name : path) {
            found = level.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
            if (found == null) return null;
            level = found.children();
        }
        return found;
    }

    /** The value written at a path ("" when the key is missing or holds a section). */
    static String get(List<ExperimentOutline.Key> roots, List<String> path) {
        ExperimentOutline.Key k = find(roots, path);
        return k == null || !k.children().isEmpty() ? "" : unquote(k.value());
    }

    /** Whether the section holding the path is written in flow style ({...}), which the form cannot edit in place. */
    static boolean flowStyle(List<ExperimentOutline.Key> roots, List<String> path) {
        for (int n = 1; n < path.size(); n++) {
            ExperimentOutline.Key k = find(roots, path.subList(0, n));
            if (k != null && k.value().startsWith("{")) return true;
        }
        return false;
    }

    /** Writes value at path; an empty value removes the key (its default applies). */
    static void set(IDocument doc, List<String> path, String value) throws BadLocationException {
        List<ExperimentOutline.Key> roots = ExperimentOutline.keys(doc); // the document does not change before the one edit below
        ExperimentOutline.Key k = find(roots, path);
        if (k != null) {
            int line = doc.getLineOfOffset(k.offset());
            IRegion r = doc.getLineInformation(line);
            if (value.isEmpty()) {
                doc.replace(r.getOffset(), doc.getLineLength(line), "");
                return;
            }
            String text = doc.get(r.getOffset(), r.getLength());
            int colon = text.indexOf(':', k.offset() - r.getOffset());
            int comment = text.indexOf(" #", colon);
            int end = comment < 0 ? text.length() : comment;
            while (end > colon + 1 && Character.isWhitespace(text.charAt(end - 1))) end--; // keep the spacing before a comment
            doc.replace(r.getOffset() + colon + 1, end - colon - 1, " " + value);
            return;
        }
        if (value.isEmpty()) return;
        // missing: add it as the last entry of its parent section, creating parents as needed
        int depth = path.size() - 1;
        ExperimentOutline.Key parent = null;
        while (depth > 0 && (parent = find(roots, path.subList(0, depth))) == null) depth--;
        StringBuilder add = new StringBuilder();
        int indent = parent == null ? 0 : indentOf(doc, parent) + 2;
        for (int n = depth; n < path.size(); n++, indent += 2) {
            add.append(" ".repeat(indent)).append(path.get(n)).append(':');
            add.append(n == path.size() - 1 ? " " + value + "\n" : "\n");
        }
        int at;
        if (parent == null) {
            at = doc.getLength();
            if (at > 0 && !doc.get(at - 1, 1).equals("\n")) add.insert(0, '\n');
        } else {
            ExperimentOutline.Key last = parent;
            while (!last.children().isEmpty()) last = last.children().get(last.children().size() - 1);
            int line = doc.getLineOfOffset(last.offset());
            at = line + 1 < doc.getNumberOfLines() ? doc.getLineOffset(line + 1) : doc.getLength();
            if (at == doc.getLength() && at > 0 && !doc.get(at - 1, 1).equals("\n")) add.insert(0, '\n');
        }
        doc.replace(at, 0, add.toString());
    }

    private static int indentOf(IDocument doc, ExperimentOutline.Key k) throws BadLocationException {
        return k.offset() - doc.getLineOffset(doc.getLineOfOffset(k.offset()));
    }

    private static String unquote(String v) {
        return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")) ? v.substring(1, v.length() - 1) : v;
    }
}
