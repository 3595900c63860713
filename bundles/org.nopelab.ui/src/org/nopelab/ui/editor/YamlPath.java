package org.nopelab.ui.editor;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;

/**
 * The key path at a place in a block-style YAML document, from indentation: the parents are the nearest
 * earlier lines indented less. Enough for content assist and hovers; validation uses the real parser.
 */
final class YamlPath {
    private YamlPath() {}

    /** Keys enclosing the line (not the key on the line itself); list items count as their list's key. */
    static List<String> parents(IDocument doc, int line) throws BadLocationException {
        List<String> path = new ArrayList<>();
        int indent = indentOf(text(doc, line));
        if (text(doc, line).isBlank()) indent = Integer.MAX_VALUE - 1;
        for (int l = line - 1; l >= 0 && indent > 0; l--) {
            String t = text(doc, l);
            if (t.isBlank() || t.trim().startsWith("#")) continue;
            int i = indentOf(t);
            if (i < indent) {
                String k = key(t);
                if (k != null) path.add(0, k);
                indent = i;
            }
        }
        return path;
    }

    /** The key written on a line ("  heads: 4" -> heads), or null. */
    static String key(String line) {
        String t = line.trim();
        if (t.startsWith("- ")) t = t.substring(2).trim();
        int colon = t.indexOf(':');
        if (colon <= 0 || t.startsWith("#")) return null;
        String k = t.substring(0, colon).trim();
        return k.matches("[A-Za-z0-9_.]+") ? k : null; // dots: the field paths of a sweep grid
    }

    static String text(IDocument doc, int line) throws BadLocationException {
        IRegion r = doc.getLineInformation(line);
        return doc.get(r.getOffset(), r.getLength());
    }

    static int indentOf(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '-')) i++;
        return i;
    }
}
