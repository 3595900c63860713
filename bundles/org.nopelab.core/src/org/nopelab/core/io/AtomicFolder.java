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
 * ".name.partial" and renamed into place at {@link #commit()}; {@link #close()} without commit deletes it,
 * so a failed or cancelled run leaves nothing half-written.
 */
public final class AtomicFolder implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private boolean committed;

    public AtomicFolder(Path target) throws IOException {
        this.target = target;
        if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString(), null, "result folder exists; results are never overwritten");
        Files.createDirectories(target.getParent());
        this.staging = target.resolveSibling("." + target.getFileName() + ".partial");
        deleteTree(staging);
        Files.createDirectories(staging);
    }

    /** Where to write now. */
    public Path dir() {
        return staging;
    }

    public Path target() {
        return target;
    }

    public Path commit() throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
        committed = true;
        return target;
    }

    @Override
    public void close() throws IOException {
        if (!committed) deleteTree(staging);
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
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
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
