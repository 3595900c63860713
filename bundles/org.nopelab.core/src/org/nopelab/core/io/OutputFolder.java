package org.nopelab.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a place results will be written to before any work is done, so that a run of minutes does not end with
 * a bare path as its only message: not empty, not a file, not a system folder, creatable, writable, not full.
 */
public final class OutputFolder {
    /** Less free space than this and even a small result folder may not fit. */
    public static final long MIN_FREE_BYTES = 16L << 20;

    private OutputFolder() {}

    /**
     * Creates the folder if needed and proves it writable; throws IllegalArgumentException saying what is wrong.
     * @param what how the user named it, e.g. "--out"
     */
    public static Path check(Path dir, String what) {
        if (dir == null || dir.toString().isBlank()) throw new IllegalArgumentException(what + " is empty; give the folder to write results into");
        Path abs = dir.toAbsolutePath().normalize();
        for (String system : new String[] {"/proc", "/sys", "/dev"}) {
            if (abs.startsWith(system)) throw new IllegalArgumentException(what + " " + dir + " is inside " + system + ", a system folder, not a place for results");
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) throw new IllegalArgumentException(what + " " + dir + " is a file, not a folder");
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + dir + ": cannot create the folder (" + reason(e) + ")");
        }
        Path probe = abs.resolve(".nopelab-write-check-" + ProcessHandle.current().pid());
        try {
            Files.writeString(probe, "nopelab");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + dir + ": cannot write into the folder (" + reason(e) + ")");
        }
        try {
            long free = Files.getFileStore(abs).getUsableSpace();
            if (free < MIN_FREE_BYTES) throw new IllegalArgumentException(what + " " + dir + ": only " + free / 1024 + " KiB free on its disk; a result folder needs more");
        } catch (IOException e) {
            // the free space cannot be told: the write above worked, so go on
        }
        return abs;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
