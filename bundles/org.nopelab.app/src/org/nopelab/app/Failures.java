package org.nopelab.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.nopelab.core.run.ResultWriter;

/**
 * An unexpected error ends a command with exit 1 and one line on stderr that says what failed and where its
 * stack trace went (never a console stack trace, never exit 0: scripts and schedulers read the code).
 */
final class Failures {
    private Failures() {}

    /** The folder crash logs go to: -Dnopelab.logs, else ~/.cache/nopelab/logs (or $XDG_CACHE_HOME/nopelab/logs). */
    static Path logFolder() {
        String configured = System.getProperty("nopelab.logs");
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        String cache = System.getenv("XDG_CACHE_HOME");
        return (cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(cache)).resolve("nopelab/logs");
    }

    static int report(Throwable e, String[] args, PrintStream err) {
        String what = e instanceof OutOfMemoryError
                ? "ran out of memory (" + e.getMessage() + ", heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                        + " MB): lower the model size, input.samples, input.seq_len or the batch size, or raise NOPELAB_XMX"
                : describe(e);
        Path log = write(e, args);
        err.println("nopelab: " + args[0] + " failed: " + what + (log == null ? "" : " (stack trace in " + log + ")"));
        return HeadlessApplication.FAILED;
    }

    /** "NullPointerException: message", following causes down to the first one with a message. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) t = t.getCause();
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + message;
    }

    private static Path write(Throwable e, String[] args) {
        try {
            Path dir = Files.createDirectories(logFolder());
            Path log = dir.resolve("nopelab-" + ResultWriter.timestamp() + "-" + ProcessHandle.current().pid() + ".log");
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Files.writeString(log, Instant.now() + " nopelab " + String.join(" ", args) + "\n" + trace);
            return log;
        } catch (IOException | RuntimeException | OutOfMemoryError cannot) {
            return null; // the one line on stderr is still printed
        }
    }
}
