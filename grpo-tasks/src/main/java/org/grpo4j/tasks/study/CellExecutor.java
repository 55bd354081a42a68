package org.grpo4j.tasks.study;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a sweep's cells run. {@link StudyRunner} runs them on a local thread pool unless it is given an executor;
 * a distributed one (grpo-spark's {@code SparkCellExecutor}) runs each cell as a task elsewhere with
 * {@link StudyCells#run} and hands the results back. Whatever the executor, the runner saves each result the
 * moment it is handed over, so a sweep interrupted and restarted redoes only the cells that were not handed over.
 */
@FunctionalInterface
public interface CellExecutor {

    /**
     * Runs the cells and hands each result to {@code finished} as soon as the cell is done.
     *
     * @param plan        the sweep
     * @param environment the runner's environment (a distributed executor may build its own copy where cells run)
     * @param cells       the cells to run; none has a saved result
     * @param runsDir     where per-run metrics belong: {@code runsDir/<cell id>/<arm>-beta<β>.jsonl}
     * @param finished    saves a result; may be called from any thread, one call at a time
     * @throws IllegalStateException if a cell fails (naming it); the cells handed over before stay saved
     */
    void run(StudyPlan plan, StudyEnvironment environment, List<CellKey> cells, Path runsDir,
             Consumer<CellResult> finished);
}
