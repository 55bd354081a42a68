package org.grpo4j.tasks.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.grpo4j.transformer.PositionEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link StudyRunner} with a {@link CellExecutor}: cells run by {@link StudyCells#run} in another order give the
 * local pool's results, each handed-back result is saved, and a resumed sweep hands the executor only the missing
 * cells.
 */
class CellExecutorTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8);

    private static StudyPlan plan() {
        return new StudyPlan(StudyMode.QUICK, List.of(StudyAxis.DEPTH), List.of(0.0, 0.5), 1,
                List.of(PositionEncoding.LEARNED), new DatasetSizes(64, 8, 6), 1, 2, 8, 12, 16, 1e-2, 4, 2, 1e-3,
                2, 2, List.of(0.04), false, 4, 0.05, 1);
    }

    /** Runs the cells last to first, one at a time, recording what it was asked. */
    private static final class Reversed implements CellExecutor {
        final List<List<CellKey>> asked = new ArrayList<>();

        @Override
        public void run(StudyPlan plan, StudyEnvironment environment, List<CellKey> cells, Path runsDir,
                        java.util.function.Consumer<CellResult> finished) {
            asked.add(cells);
            for (int i = cells.size() - 1; i >= 0; i--) {
                finished.accept(StudyCells.run(plan, environment, cells.get(i), runsDir));
            }
        }
    }

    @Test
    void anExecutorsResultsAreTheLocalOnesAndAResumeAsksOnlyForMissingCells(@TempDir Path dir) throws Exception {
        StudyPlan plan = plan();
        List<CellResult> local = new StudyRunner(plan, new TinyEnvironment(), dir.resolve("local"))
                .run(false, QUIET, false);
        Reversed executor = new Reversed();
        Path out = dir.resolve("executor");
        List<CellResult> remote = new StudyRunner(plan, new TinyEnvironment(), out, executor).run(false, QUIET, false);
        assertEquals(List.of(plan.cells()), executor.asked);
        assertEquals(plan.cells(), remote.stream().map(CellResult::key).toList(), "the plan's order");
        for (int i = 0; i < local.size(); i++) {
            assertEquals(local.get(i).base(), remote.get(i).base());
            assertEquals(local.get(i).arms(), remote.get(i).arms());
            assertEquals(local.get(i).pretrainLoss(), remote.get(i).pretrainLoss());
            String id = remote.get(i).key().id();
            assertTrue(Files.exists(out.resolve("cells").resolve(id + ".json")));
            assertEquals(Files.readString(dir.resolve("local").resolve("runs").resolve(id).resolve("ood-beta0.04.jsonl"))
                    .lines().count(), Files.readString(out.resolve("runs").resolve(id).resolve("ood-beta0.04.jsonl"))
                    .lines().count());
        }

        CellKey dropped = plan.cells().get(0);
        Files.delete(out.resolve("cells").resolve(dropped.id() + ".json"));
        List<CellResult> again = new StudyRunner(plan, new TinyEnvironment(), out, executor).run(false, QUIET, false);
        assertEquals(List.of(dropped), executor.asked.get(1), "only the missing cell runs again");
        assertEquals(remote.get(1), again.get(1), "the saved cell is loaded, not rerun");
        assertEquals(remote.get(0).arms(), again.get(0).arms());
    }

    @Test
    void anExecutorThatLosesACellFailsTheRunNamingIt(@TempDir Path out) {
        CellExecutor lossy = (plan, env, cells, runs, finished) -> finished.accept(StudyCells.run(plan, env,
                cells.get(0), runs));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new StudyRunner(plan(), new TinyEnvironment(), out, lossy).run(false, QUIET, false));
        assertEquals("the executor returned no result for cell " + plan().cells().get(1).id(), e.getMessage());
        assertTrue(Files.exists(out.resolve("cells").resolve(plan().cells().get(0).id() + ".json")),
                "the handed-back cell stays saved");
    }
}
