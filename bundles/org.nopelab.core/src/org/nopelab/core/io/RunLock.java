package org.nopelab.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on work that two processes must not do at once (training one experiment's subjects into one
 * checkpoint folder). The operating system releases it when the process dies, so a killed run never leaves a
 * lock behind; the file itself only says who holds it.
 */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    /** Thrown when another process holds the lock: nothing was done. */
    public static final class HeldException extends IllegalStateException {
        HeldException(String message) {
            super(message);
        }
    }

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link HeldException} naming the process that has it and what it is doing. */
    public static RunLock acquire(Path file, String what) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            l = null;
        }
        if (l == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            ch.close();
            throw new HeldException("another run is " + what + " right now" + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + "; wait for it to finish, or give this run another --out");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + ", since " + java.time.Instant.now()).getBytes(StandardCharsets.UTF_8)));
        return new RunLock(file, ch, l);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
        Files.deleteIfExists(file);
    }
}
