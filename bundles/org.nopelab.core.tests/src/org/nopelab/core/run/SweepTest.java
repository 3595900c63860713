package org.nopelab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.experiment.ExperimentReader;
import org.nopelab.core.experiment.Problem;
import org.nopelab.core.experiment.Sweep;
import org.nopelab.core.io.Csv;
import org.nopelab.core.metrics.Estimate;
import org.nopelab.core.monitor.RunMonitor;

/** Sweeps: validation of the grid, expansion into cells, resumable runs, aggregation over seeds. */
class SweepTest {
    @TempDir
    Path tmp;

    static final String SWEEP = """
            schema: nopelab/experiment/1
            name: grid
            model: {vocab_size: 16, d_model: 16, heads: 2, layers: 2, d_ff: 32}
            input: {seq_len: 10, samples: 24}
            analysis: {probes: false, figures: false, scores: [ap_nn]}
            sweep:
              grid:
                model.init.std: [0.02, 1.0]
                model.residual: [true, false]
              seeds: [1, 2, 3]
            """;

    @Test
    void gridExpandsInFileOrderWithReadableIds() {
        ExperimentReader.Result in = ExperimentReader.read(SWEEP);
        assertTrue(in.ok(), in.problems().toString());
        List<Sweep.Cell> cells = in.experiment().sweep().cells();
        assertEquals(List.of("00_std=0.02_residual=true", "01_std=0.02_residual=false", "02_std=1_residual=true", "03_std=1_residual=false"),
                cells.stream().map(Sweep.Cell::id).toList());
        assertEquals("model.init.std=1, model.residual=false", cells.get(3).label());
        var tree = Sweep.cellTree(in.resolved(), cells.get(3), 2);
        assertEquals(1.0, tree.at("/model/init/std").asDouble());
        assertFalse(tree.at("/model/residual").asBoolean());
        assertEquals(2, tree.get("seed").asLong());
        assertFalse(tree.has("sweep"));
    }

    @Test
    void badGridEntriesArePointedAt() {
        String text = """
                schema: nopelab/experiment/1
                model: {d_model: 16, heads: 2}
                sweep:
                  grid:
                    model.init.sd: [0.1]
                    model.heads: [2, 0, 3]
                    model.activation: [gelu, relu6]
                """;
        List<Problem> problems = ExperimentReader.read(text).problems();
        assertTrue(problems.contains(new Problem(Problem.Severity.error, 5, 5, "sweep.grid.model.init.sd",
                "sweep.grid: 'model.init.sd' is not a field one can sweep; did you mean 'model.init.std'?")), problems.toString());
        assertTrue(problems.contains(new Problem(Problem.Severity.error, 6, 22, "sweep.grid.model.heads.1",
                "sweep: model.heads: 0 is out of range; allowed 1 <= value <= 64")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.line() == 7 && p.column() == 30 && p.message().startsWith("sweep: model.activation: 'relu6' is not one of")),
                problems.toString());
    }

    @Test
    void cellsBreakingCrossFieldRulesAreReported() {
        String text = """
                schema: nopelab/experiment/1
                model: {d_model: 16, heads: 4}
                sweep:
                  grid:
                    model.d_model: [16, 18]
                    model.init.sd: [0.1]
                """;
        List<Problem> problems = ExperimentReader.read(text).problems();
        assertEquals(2, problems.size(), "an unknown path does not hide the cells' problems: " + problems);
        assertEquals("sweep.grid: 'model.init.sd' is not a field one can sweep; did you mean 'model.init.std'?", problems.get(1).message());
        Problem p = problems.get(0);
        assertEquals(5, p.line());
        assertEquals(25, p.column());
        assertEquals("sweep cell 01_d_model=18: model.heads: d_model 18 is not divisible by heads 4; each head needs a whole width", p.message());
    }

    @Test
    void sweepRunsEveryCellResumesAndAggregatesOverSeeds() throws IOException {
        ExperimentReader.Result in = ExperimentReader.read(SWEEP);
        Path dir = ExperimentRunner.run(in.experiment(), in.resolved(), SWEEP, tmp, FigureRenderer.NONE, RunMonitor.NONE);
        assertEquals(SweepRunner.folder(in.experiment(), in.resolved(), tmp), dir);
        SweepSummary s = SweepRunner.read(dir);
        assertTrue(s.complete());
        assertEquals(12, s.runsDone());
        assertEquals(4, s.cells().size());
        assertEquals(3, s.layers());

        // the aggregate is the mean over the three seed folders of each cell, with a t interval
        SweepSummary.Cell c = s.cells().get(2);
        double[] perSeed = new double[3];
        for (int i = 0; i < 3; i++) {
            ResultSummary r = ResultFolder.open(SweepRunner.runFolder(dir, c.id(), i + 1)).summary();
            perSeed[i] = r.states().get(1).scores().get(org.nopelab.core.metrics.AdjacencyScore.ap_nn).perSequence().mean();
        }
        Estimate e = s.value(c, "random", 1, "ap_nn");
        assertEquals(Estimate.of(perSeed), e);
        assertEquals(3, e.n());
        var csv = Files.readAllLines(dir.resolve("sweep.csv"));
        assertEquals("cell,model.init.std,model.residual,subject,layer,metric,mean,ci95_low,ci95_high,seeds", csv.get(0));
        assertEquals(4 * 3 * 4, csv.size() - 1, "cells x layers x (ap_nn, ap_nn_chance, order_tau, order_tau_chance)");

        // the cell's own folder is a plain experiment that reads back with the cell's values
        var cellFile = SweepRunner.runFolder(dir, "03_std=1_residual=false", 2).resolve("experiment.yaml");
        var cell = ExperimentReader.read(cellFile);
        assertTrue(cell.ok(), cell.problems().toString());
        assertFalse(cell.experiment().model().residual());
        assertEquals(2, cell.experiment().seed());

        // resume: remove one run, keep the others untouched
        Path removed = SweepRunner.runFolder(dir, c.id(), 2), kept = SweepRunner.runFolder(dir, c.id(), 1);
        org.nopelab.core.io.AtomicFolder.deleteTree(removed);
        FileTime before = Files.getLastModifiedTime(kept.resolve("metrics.json"));
        assertEquals(11, SweepRunner.summarise(in.experiment(), dir).runsDone());
        RecordingMonitor monitor = new RecordingMonitor();
        List<String> log = monitor.lines;
        assertEquals(dir, ExperimentRunner.run(in.experiment(), in.resolved(), SWEEP, tmp, FigureRenderer.NONE, monitor));
        assertEquals(11, log.stream().filter(l -> l.endsWith("done before, kept")).count(), log.toString());
        assertEquals(before, Files.getLastModifiedTime(kept.resolve("metrics.json")));
        assertEquals(perSeed[1], ResultFolder.open(removed).summary().states().get(1).scores()
                .get(org.nopelab.core.metrics.AdjacencyScore.ap_nn).perSequence().mean(), 1e-12, "a re-run cell gives the same numbers");
        assertTrue(SweepRunner.read(dir).complete());

        // provenance: every cell and seed folder and the sweep folder itself; one software so far
        Provenance cellProvenance = Provenance.read(kept), sweepProvenance = Provenance.read(dir);
        assertEquals(Provenance.sha256(Sweep.cellTree(in.resolved(), in.experiment().sweep().cells().get(2), 1).put("name", "grid-" + c.id().replace('=', '-') + "-seed1")),
                cellProvenance.experimentSha256(), "the cell's own experiment");
        assertEquals(1, cellProvenance.seed());
        assertTrue(cellProvenance.engineThreads() >= 1 && cellProvenance.blasThreads() >= 1, "the thread counts applied, not just the environment");
        assertEquals(Provenance.sha256(in.resolved()), sweepProvenance.experimentSha256());
        assertEquals(List.of(Provenance.currentSoftware()), SweepRunner.read(dir).software());

        // a run computed by another version: the resumed sweep keeps it and says that its numbers mix versions
        Path provenance = kept.resolve(Provenance.FILE);
        Files.writeString(provenance, Files.readString(provenance).replace(cellProvenance.nopelabVersion(), "0.0.1.old"));
        ExperimentRunner.run(in.experiment(), in.resolved(), SWEEP, tmp, FigureRenderer.NONE, monitor);
        List<String> software = SweepRunner.read(dir).software();
        assertEquals(2, software.size(), software.toString());
        assertTrue(software.contains(org.nopelab.core.io.Software.describe("0.0.1.old", cellProvenance.nd4jVersion())), software.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("its runs were computed by different software")), log.toString());
    }
}
