package org.grpo4j.tasks.study;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.grpo4j.Checks;

/**
 * Runs a {@link StudyPlan} into an output folder, cell by cell, {@link StudyPlan#threads()} cells at once. Each
 * finished cell is saved atomically as {@code cells/<id>.json}; a later run into the same folder with the same plan
 * loads those and runs only the missing cells, so an interrupted sweep resumes without redoing finished work. Per-run
 * GRPO metrics go to {@code runs/<cell>/<arm>-beta<β>.jsonl}. A folder holding a different plan is refused unless
 * the run is {@code fresh}, which clears it first. The cells run on a local thread pool, or on a
 * {@link CellExecutor} given to the constructor (saved the same way as each is handed back).
 */
public final class StudyRunner {
    private final StudyPlan plan;
    private final StudyEnvironment environment;
    private final Path out;
    /** Runs the missing cells; null for the local thread pool. */
    private final CellExecutor executor;

    /**
     * @param plan        the sweep
     * @param environment builds each cell's data
     * @param out         the output folder
     * @throws IllegalArgumentException if an argument is null
     */
    public StudyRunner(StudyPlan plan, StudyEnvironment environment, Path out) {
        this.plan = Checks.notNull("plan", plan);
        this.environment = Checks.notNull("environment", environment);
        this.out = Checks.notNull("out", out);
        this.executor = null;
    }

    /**
     * A runner whose cells run on a given executor (a Spark cluster, say) instead of the local thread pool; the
     * progress bar then advances a cell at a time.
     *
     * @param plan        the sweep
     * @param environment builds each cell's data
     * @param out         the output folder
     * @param executor    runs the missing cells
     * @throws IllegalArgumentException if an argument is null
     */
    public StudyRunner(StudyPlan plan, StudyEnvironment environment, Path out, CellExecutor executor) {
        this.plan = Checks.notNull("plan", plan);
        this.environment = Checks.notNull("environment", environment);
        this.out = Checks.notNull("out", out);
        this.executor = Checks.notNull("executor", executor);
    }

    /**
     * Runs every cell that has no saved result.
     *
     * @param fresh       delete earlier results in the folder first
     * @param progress    where the progress bar goes (usually {@code System.err})
     * @param interactive redraw the bar in place (a console) rather than print a line every 5%
     * @return every cell's result, in the plan's order
     * @throws IllegalStateException if the folder holds a different plan (other than in its thread count) and
     *                               {@code fresh} is false, or a cell
     *                               fails (naming it; finished cells stay saved)
     * @throws UncheckedIOException  if the folder cannot be written
     */
    public List<CellResult> run(boolean fresh, PrintStream progress, boolean interactive) {
        Checks.notNull("progress", progress);
        Path planFile = out.resolve("plan.json");
        Path cellsDir = out.resolve("cells");
        Path runsDir = out.resolve("runs");
        if (fresh) {
            deleteTree(cellsDir);
            deleteTree(runsDir);
        } else {
            checkSamePlan(planFile);
        }
        StudyJson.write(planFile, plan);

        List<CellKey> cells = plan.cells();
        List<CellResult> results = saved();
        List<CellKey> todo = new ArrayList<>();
        for (CellKey key : cells) {
            if (results.stream().noneMatch(r -> r.key().equals(key))) {
                todo.add(key);
                deleteTree(runsDir.resolve(key.id()));                 // metrics of an interrupted attempt
            }
        }
        if (!results.isEmpty()) {
            progress.println("resuming: " + results.size() + " of " + cells.size() + " cells already done in " + out);
        }
        SweepProgress bar = new SweepProgress(progress, interactive, SweepProgress.unitsPerCell(plan) * todo.size());
        if (executor != null) {
            try {
                executor.run(plan, environment, List.copyOf(todo), runsDir, r -> {
                    synchronized (results) {
                        StudyJson.write(cellsDir.resolve(r.key().id() + ".json"), r);
                        results.add(r);
                        bar.advance(SweepProgress.unitsPerCell(plan), r.key().id() + " done");
                    }
                });
            } finally {
                bar.finish();
            }
            for (CellKey key : todo) {
                if (results.stream().noneMatch(r -> r.key().equals(key))) {
                    throw new IllegalStateException("the executor returned no result for cell " + key.id());
                }
            }
            results.sort(Comparator.comparingInt(r -> cells.indexOf(r.key())));
            return results;
        }
        CellRunner runner = new CellRunner(plan, environment, runsDir, bar);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(plan.threads(), Math.max(1, todo.size())),
                r -> {
                    Thread t = new Thread(r, "grpo4j-study-cell");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<CellResult>> futures = new ArrayList<>();
            for (CellKey key : todo) {
                futures.add(pool.submit(() -> {
                    CellResult r = runner.run(key);
                    StudyJson.write(cellsDir.resolve(key.id() + ".json"), r);
                    return r;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cell " + todo.get(i).id() + " failed: " + e.getCause(),
                            e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running cell " + todo.get(i).id(), e);
                }
            }
        } finally {
            pool.shutdownNow();
            bar.finish();
        }
        results.sort(Comparator.comparingInt(r -> cells.indexOf(r.key())));
        return results;
    }

    /**
     * The results already saved in the folder, without running anything: what a report of an unfinished sweep is
     * written from.
     *
     * @return the saved cells of this plan, in the plan's order; empty if none
     * @throws IllegalStateException if the folder holds a different plan (other than in its thread count)
     * @throws UncheckedIOException  if a saved result cannot be read
     */
    public List<CellResult> finished() {
        checkSamePlan(out.resolve("plan.json"));
        return saved();
    }

    /** The saved results of this plan's cells, in the plan's order. */
    private List<CellResult> saved() {
        List<CellResult> results = new ArrayList<>();
        for (CellKey key : plan.cells()) {
            Path file = out.resolve("cells").resolve(key.id() + ".json");
            if (Files.exists(file)) {
                results.add(StudyJson.read(file, CellResult.class));
            }
        }
        return results;
    }

    private void checkSamePlan(Path planFile) {
        if (Files.exists(planFile)
                && !StudyJson.read(planFile, StudyPlan.class).withThreads(plan.threads()).equals(plan)) {
            throw new IllegalStateException(out + " holds the results of a different plan (" + planFile
                    + "); run with --fresh to replace them or choose another --out");
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
