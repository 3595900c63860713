package org.nopelab.core.experiment;

/** One problem in an experiment file, at a 1-based line and column; path is the key path ("model.heads"). */
public record Problem(Severity severity, int line, int column, String path, String message) {
    public enum Severity { error, warning }

    /** "file:line:column: error: message", the form compilers use and editors link. */
    public String format(String file) {
        return file + ":" + line + ":" + column + ": " + severity + ": " + message;
    }
}
