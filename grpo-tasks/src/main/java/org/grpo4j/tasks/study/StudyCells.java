package org.grpo4j.tasks.study;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.grpo4j.Checks;

/** Runs one cell of a sweep on its own, for {@link CellExecutor}s that run cells away from the runner. */
public final class StudyCells {
    private StudyCells() {
    }

    /**
     * Runs one cell exactly as {@link StudyRunner} does (same data, seeds and protocol), without a progress bar.
     *
     * @param plan        the sweep
     * @param environment builds the cell's data
     * @param key         the cell
     * @param runsDir     where the cell's per-run metrics go ({@code runsDir/<cell id>/...})
     * @return the cell's result
     * @throws IllegalArgumentException if an argument is null
     */
    public static CellResult run(StudyPlan plan, StudyEnvironment environment, CellKey key, Path runsDir) {
        Checks.notNull("plan", plan);
        Checks.notNull("environment", environment);
        Checks.notNull("key", key);
        Checks.notNull("runsDir", runsDir);
        SweepProgress silent = new SweepProgress(new PrintStream(OutputStream.nullOutputStream()), false, 1);
        return new CellRunner(plan, environment, runsDir, silent).run(key);
    }
}
