package org.nopelab.core.experiment;

/**
 * One problem in an experiment file, at a 1-based line and column; path is the key path ("model.heads").
 * replacement, when not null, is the text that fixes it in place (the nearest valid key or value).
 */
public record Problem(Severity severity, int line, int column, String path, String message, String replacement) {
    public enum Severity { error, warning }

    public Problem(Severity severity, int line, int column, String path, String message) {
        this(severity, line, column, path, message, null);
    }

    /** "file:line:column: error: message", the form compilers use and editors link. */
    public String format(String file) {
        return file + ":" + line + ":" + column + ": " + severity + ": " + message;
    }
}
