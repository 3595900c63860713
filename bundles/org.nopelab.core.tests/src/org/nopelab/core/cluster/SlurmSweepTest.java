package org.nopelab.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;
import org.nopelab.core.run.SweepRunner;

/**
 * What can be checked without a cluster: the sbatch script, the array of a resubmission, the states read from the
 * folders, the cluster section's validation and a missing Slurm command. The whole path against a real one-node
 * Slurm is releng/slurm/integration-test.sh (run by ./nopelab test).
 */
class SlurmSweepTest {
    static final String FILE = "schema: nopelab/experiment/1\nname: s\nmodel: {layers: 1, d_model: 8, heads: 2, d_ff: 8}\n"
            + "input: {seq_len: 8, samples: 4}\ncluster: {partition: gpu-a, time: \"02:30:00\", cpus: 2, mem: 2G, max_parallel: 3}\n"
            + "sweep:\n  grid:\n    model.pe: [none, rope, alibi]\n";

    @Test
    void theScriptAsksForWhatTheClusterSectionSays() {
        ExperimentReader.Result r = ExperimentReader.read(FILE);
        String s = SlurmSweep.script(r.experiment(), Path.of("/shared/s-sweep-x"), List.of(0, 1, 2), r.experiment().cluster(), Path.of("/opt/nopelab/nopelab"));
        for (String line : List.of("#SBATCH --array=0-2%3", "#SBATCH --cpus-per-task=2", "#SBATCH --mem=2G", "#SBATCH --time=02:30:00",
                "#SBATCH --partition=gpu-a", "#SBATCH --output=/shared/s-sweep-x/slurm/logs/%A_%a.log",
                "'/opt/nopelab/nopelab' sweep cell '/shared/s-sweep-x' \"$SLURM_ARRAY_TASK_ID\"")) {
            assertTrue(s.lines().anyMatch(line::equals), "no line " + line + " in\n" + s);
        }
        assertTrue(s.contains("OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-2}\""), s);
    }

    @Test
    void aResubmissionListsOnlyItsCells() {
        assertEquals("0-3,5", SlurmSweep.arraySpec(List.of(0, 1, 2, 3, 5)));
        assertEquals("3", SlurmSweep.arraySpec(List.of(3)));
        assertEquals("1,3-4,7", SlurmSweep.arraySpec(List.of(1, 3, 4, 7)));
    }

    @Test
    void statesComeFromTheFoldersWhenNothingIsQueued(@TempDir Path tmp) throws IOException {
        ExperimentReader.Result r = ExperimentReader.read(FILE);
        Path dir = SweepRunner.prepare(r.experiment(), r.resolved(), FILE, tmp);
        Files.createDirectories(SweepRunner.runFolder(dir, r.experiment().sweep().cells().get(1).id(), 1));
        SlurmSweep.Folder f = SlurmSweep.open(dir);
        List<String> states = SlurmSweep.status(f).stream().map(SlurmSweep.CellState::state).toList();
        assertEquals(List.of("not submitted", "done", "not submitted"), states);
        assertEquals(List.of("00_pe=none", "02_pe=alibi"), SlurmSweep.missing(f));
        // a dry run on it writes nothing and would submit the two cells left
        SlurmSweep.Submission s = SlurmSweep.submit(r.experiment(), r.resolved(), FILE, tmp, r.experiment().cluster(), Path.of("/x/nopelab"), true);
        assertEquals(List.of(0, 2), s.cells());
        assertNull(s.job());
        assertTrue(s.script().contains("--array=0,2%3"), s.script());
        assertTrue(!Files.exists(SlurmSweep.slurmDir(dir)), "a dry run wrote slurm/");
    }

    @Test
    void aFolderWhoseFileWasEditedIsRefused(@TempDir Path tmp) throws IOException {
        ExperimentReader.Result r = ExperimentReader.read(FILE);
        Path dir = SweepRunner.prepare(r.experiment(), r.resolved(), FILE, tmp);
        Files.writeString(dir.resolve("experiment.yaml"), FILE.replace("alibi", "learned"));
        IOException e = assertThrows(IOException.class, () -> SlurmSweep.open(dir));
        assertTrue(e.getMessage().contains("was not written for its experiment.yaml"), e.getMessage());
        // scheduling settings are not part of the folder's name: more time finds the same folder
        ExperimentReader.Result longer = ExperimentReader.read(FILE.replace("02:30:00", "12:00:00"));
        assertEquals(dir, SweepRunner.folder(longer.experiment(), longer.resolved(), tmp));
    }

    @Test
    void aBadClusterSectionIsReportedAtItsField() {
        ExperimentReader.Result r = ExperimentReader.read(FILE.replace("02:30:00", "2.5h"));
        Problem p = r.problems().stream().filter(x -> x.severity() == Problem.Severity.error).findFirst().orElseThrow();
        assertEquals("cluster.time", p.path());
        assertEquals(5, p.line());
    }

    @Test
    void aMissingSlurmCommandSaysSoInOneLine() {
        IOException e = assertThrows(IOException.class, () -> Slurm.call(List.of("sbatch-that-is-not-installed", "x")));
        assertTrue(e.getMessage().startsWith("sbatch-that-is-not-installed is not on PATH"), e.getMessage());
    }
}
