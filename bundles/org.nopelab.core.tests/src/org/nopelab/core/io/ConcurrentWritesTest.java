package org.nopelab.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two writers of one result name, and two runs training one experiment: neither fails after the work, nor shares. */
class ConcurrentWritesTest {
    @TempDir
    Path tmp;

    @Test
    void twoFoldersForOneNameBothLand() throws IOException {
        // staging folders carry the process id: two processes writing one result name never share one
        try (AtomicFolder a = new AtomicFolder(tmp.resolve("tiny-20261201-120000"))) {
            assertEquals(".tiny-20261201-120000." + ProcessHandle.current().pid() + ".partial", a.dir().getFileName().toString());
        }
        Path first = tmp.resolve("run-1");
        try (AtomicFolder a = new AtomicFolder(first)) {
            Files.writeString(a.dir().resolve("x"), "a");
            Files.createDirectories(first.resolve("other")); // another process committed this name meanwhile
            assertEquals(tmp.resolve("run-1-2"), a.commit(), "NEXT_FREE takes the next name");
        }
        // a run that computed its name before another process committed it: the folder lands beside, not over it
        try (AtomicFolder late = new AtomicFolder(tmp.resolve("run-1"))) {
            Files.writeString(late.dir().resolve("x"), "late");
            assertEquals(tmp.resolve("run-1-3"), late.commit(), "run-1 and run-1-2 are taken");
        }
        assertEquals("a", Files.readString(tmp.resolve("run-1-2/x")), "nothing was overwritten");
        Path cell = tmp.resolve("cell");
        try (AtomicFolder a = new AtomicFolder(cell, AtomicFolder.Conflict.KEEP_EXISTING)) {
            Files.writeString(a.dir().resolve("x"), "ours");
            Files.createDirectories(cell);
            Files.writeString(cell.resolve("x"), "theirs");
            assertEquals(cell, a.commit());
            assertEquals("theirs", Files.readString(cell.resolve("x")), "a sweep cell another process finished is kept");
            assertTrue(!Files.exists(a.dir()), "our staging folder is gone");
        }
    }

    @Test
    void aHeldLockRefusesWithWhoHoldsIt() throws IOException {
        Path lock = tmp.resolve(".checkpoints/abc.lock");
        try (RunLock held = RunLock.acquire(lock, "training x into out")) {
            RunLock.HeldException e = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(lock, "training x into out"));
            assertTrue(e.getMessage().startsWith("another run is training x into out right now (process " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertTrue(!Files.exists(lock), "released and removed");
        RunLock.acquire(lock, "again").close();
    }
}
