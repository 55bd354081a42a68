package org.grpo4j.spark.study;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.grpo4j.Checks;
import org.grpo4j.tasks.study.CellExecutor;
import org.grpo4j.tasks.study.CellKey;
import org.grpo4j.tasks.study.CellResult;
import org.grpo4j.tasks.study.StudyCells;
import org.grpo4j.tasks.study.StudyEnvironment;
import org.grpo4j.tasks.study.StudyJson;
import org.grpo4j.tasks.study.StudyPlan;

/**
 * Runs each cell of a sweep as a Spark task (one single-task job per cell, all submitted at once, so the cluster's
 * free cores take the cells as they come). A task gets the plan and the cell as JSON, builds the environment with
 * the {@link EnvironmentFactory}, runs {@link StudyCells#run} with its per-run metrics in a temporary folder, and
 * returns the result with those metric files; the driver writes the files under the sweep's {@code runs/} and hands
 * the result to the runner, which saves it at once. An interrupted sweep therefore keeps every cell handed back
 * before the interruption, and the next run submits only the others. A cell is a pure function of the plan and its
 * key, so a retried task (a lost executor) gives the same measurements; only its wall times differ.
 *
 * <p>Each cell trains on one core: set {@code spark.task.cpus} to 1 (the default) and
 * {@code spark.executorEnv.OMP_NUM_THREADS=1} (see {@link org.grpo4j.spark.SparkSetup}). The plan's
 * {@code threads} is ignored: the cluster's cores decide how many cells run at once.
 */
public final class SparkCellExecutor implements CellExecutor {
    private final JavaSparkContext spark;
    private final EnvironmentFactory environment;

    /**
     * @param spark       the Spark context
     * @param environment builds the sweep's environment in each task
     * @throws IllegalArgumentException if an argument is null
     */
    public SparkCellExecutor(JavaSparkContext spark, EnvironmentFactory environment) {
        this.spark = Checks.notNull("spark", spark);
        this.environment = Checks.notNull("environment", environment);
    }

    /**
     * Runs the cells as Spark tasks, handing each result back as its job ends.
     *
     * @param environment ignored: the tasks build theirs with the factory
     * @throws IllegalStateException if a cell's job fails (after Spark's retries), naming the first such cell;
     *                               the other cells finish and are handed back first
     */
    @Override
    public void run(StudyPlan plan, StudyEnvironment environment, List<CellKey> cells, Path runsDir,
                    Consumer<CellResult> finished) {
        Checks.notNull("plan", plan);
        Checks.notNull("cells", cells);
        Checks.notNull("runsDir", runsDir);
        Checks.notNull("finished", finished);
        if (cells.isEmpty()) {
            return;
        }
        String planJson = StudyJson.toJson(plan);
        ExecutorService waiters = Executors.newFixedThreadPool(Math.min(cells.size(), 64), r -> {
            Thread t = new Thread(r, "grpo4j-spark-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (CellKey key : cells) {
                CellTask task = new CellTask(planJson, StudyJson.toJson(key), this.environment);
                jobs.add(waiters.submit(() -> {
                    spark.setJobDescription("grpo4j study cell " + key.id());
                    CellOutput out = spark.parallelize(List.of(0), 1).map(i -> task.run()).collect().get(0);
                    write(runsDir.resolve(key.id()), out.runFiles());
                    CellResult result = StudyJson.fromJson(out.resultJson(), CellResult.class);
                    synchronized (finished) {
                        finished.accept(result);
                    }
                    return null;
                }));
            }
            IllegalStateException first = null;
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    jobs.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (first == null) {
                        first = new IllegalStateException("cell " + cells.get(i).id() + " failed: " + e.getCause(),
                                e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running cell " + cells.get(i).id(), e);
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    private static void write(Path dir, Map<String, String> files) {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = dir.resolve(f.getKey()).normalize();
            if (!target.startsWith(dir)) {
                throw new IllegalStateException("a cell task returned a run file outside its folder: " + f.getKey());
            }
            try {
                Files.createDirectories(target.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + target.getParent(), e);
            }
            StudyJson.writeText(target, f.getValue());
        }
    }

    /** What a cell task returns: its result as JSON and its run files by path relative to the cell's folder. */
    record CellOutput(String resultJson, Map<String, String> runFiles) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** One cell, run inside a task. */
    record CellTask(String planJson, String keyJson, EnvironmentFactory environment) implements Serializable {
        private static final long serialVersionUID = 1L;

        CellOutput run() throws IOException {
            StudyPlan plan = StudyJson.fromJson(planJson, StudyPlan.class);
            CellKey key = StudyJson.fromJson(keyJson, CellKey.class);
            Path runs = Files.createTempDirectory("grpo4j-cell-");
            try {
                CellResult result = StudyCells.run(plan, environment.create(), key, runs);
                Path mine = runs.resolve(key.id());
                Map<String, String> files = new LinkedHashMap<>();
                if (Files.isDirectory(mine)) {
                    try (Stream<Path> walk = Files.walk(mine)) {
                        for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                            files.put(mine.relativize(p).toString(), Files.readString(p));
                        }
                    }
                }
                return new CellOutput(StudyJson.toJson(result), files);
            } finally {
                delete(runs);
            }
        }

        private static void delete(Path dir) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir, e);
            }
        }
    }
}
