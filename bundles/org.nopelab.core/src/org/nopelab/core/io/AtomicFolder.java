package org.nopelab.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A result folder that appears complete or not at all: everything is written into a hidden sibling
 * ".name.PID.partial" (PID: this process, so two processes never share one) and renamed into place at
 * {@link #commit()}; {@link #close()} without commit deletes it, so a failed or cancelled run leaves nothing
 * half-written. A process killed with -9 cannot delete its staging folder: {@link #removeStale} finds those of
 * dead processes and removes them.
 */
public final class AtomicFolder implements AutoCloseable {
    /** What commit does when another process committed the same target first. */
    public enum Conflict {
        /** Take the next free name, target-2, target-3, ... (result folders named by the time they were started). */
        NEXT_FREE,
        /** Keep theirs and drop ours (a sweep cell: the same experiment gives the same numbers). */
        KEEP_EXISTING
    }

    private static final String PARTIAL = ".partial";
    private final Path target;
    private final Path staging;
    private final Conflict conflict;
    private Path committedTo;

    public AtomicFolder(Path target) throws IOException {
        this(target, Conflict.NEXT_FREE);
    }

    public AtomicFolder(Path target, Conflict conflict) throws IOException {
        this.target = target;
        this.conflict = conflict;
        // a target that exists already (another process finished first) is settled at commit, never overwritten
        Files.createDirectories(target.getParent());
        this.staging = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + PARTIAL);
        deleteTree(staging);
        Files.createDirectories(staging);
    }

    /**
     * Removes the staging folders in {@code root} left by processes that no longer run (killed mid-write), of
     * results whose name starts with {@code prefix}; returns what it removed.
     */
    public static java.util.List<Path> removeStale(Path root, String prefix) throws IOException {
        java.util.List<Path> removed = new java.util.ArrayList<>();
        if (!Files.isDirectory(root)) return removed;
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith("." + prefix) || !n.endsWith(PARTIAL)) continue;
                String middle = n.substring(0, n.length() - PARTIAL.length());
                String pid = middle.substring(middle.lastIndexOf('.') + 1);
                // a folder of an older release has no PID: nobody can still be writing it
                boolean alive = pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                if (alive) continue;
                deleteTree(p);
                removed.add(p);
            }
        }
        return removed;
    }
    /** Where to write now. */
    public Path dir() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /** Renames the staging folder into place; returns where it went (another name under NEXT_FREE when taken). */
    public Path commit() throws IOException {
        for (int k = 1; ; k++) {
            Path to = k == 1 ? target : target.resolveSibling(target.getFileName() + "-" + k);
            if (Files.exists(to)) {
                if (conflict == Conflict.KEEP_EXISTING) {
                    deleteTree(staging);
                    return committedTo = to;
                }
                continue;
            }
            try {
                try {
                    Files.move(staging, to, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staging, to);
                }
                return committedTo = to;
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // another process committed this name between our check and our rename: look again
                if (conflict == Conflict.KEEP_EXISTING) k--;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (committedTo == null) deleteTree(staging);
    }

    /** Writes the content of one file, given the path to write it to. */
    public interface FileWriter {
        void write(Path file) throws IOException;
    }

    /**
     * Writes a file atomically: the writer fills a hidden temp file in the same folder, which is then renamed
     * over the target, so a reader never sees half a file.
     */
    public static void write(Path file, FileWriter writer) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId() + ".tmp");
        writer.write(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes a small text file atomically. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, tmp -> Files.writeString(tmp, text));
    }

    /** Deletes a folder and everything in it; nothing if it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
