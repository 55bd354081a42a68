package org.grpo4j.spark.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.grpo4j.spark.SparkSetup;
import org.grpo4j.tasks.study.CellKey;
import org.grpo4j.tasks.study.CellResult;
import org.grpo4j.tasks.study.DatasetSizes;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyMode;
import org.grpo4j.tasks.study.StudyPlan;
import org.grpo4j.tasks.study.StudyRunner;
import org.grpo4j.tasks.study.report.StudyReport;
import org.grpo4j.transformer.PositionEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with its cells as Spark tasks ({@code local[2]}) gives the local runner's cells and report, writes the runs'
 * metrics under the output folder, and a resumed sweep submits only the missing cell.
 */
class SparkCellExecutorTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8);

    private static StudyPlan plan() {
        return new StudyPlan(StudyMode.QUICK, List.of(StudyAxis.DEPTH), List.of(0.0, 0.5), 1,
                List.of(PositionEncoding.LEARNED), new DatasetSizes(64, 8, 6), 1, 2, 8, 12, 16, 1e-2, 4, 2, 1e-3,
                2, 2, List.of(0.04), false, 4, 0.05, 1);
    }

    private static SparkConf conf() {
        Path scratch = Path.of(System.getProperty("grpo.spark.scratch", "target/spark")).toAbsolutePath();
        return SparkSetup.conf("local[2]", scratch).set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    @Test
    void theSweepsCellsAndReportAreTheLocalOnesAndAResumeRunsOnlyTheMissingCell(@TempDir Path dir) {
        StudyPlan plan = plan();
        List<CellResult> local = new StudyRunner(plan, new TinyStudies(), dir.resolve("local")).run(false, QUIET,
                false);
        Path out = dir.resolve("spark");
        try (JavaSparkContext spark = new JavaSparkContext(conf())) {
            SparkCellExecutor executor = new SparkCellExecutor(spark, TinyStudies::new);
            TinyStudies.BUILT.clear();
            List<CellResult> remote = new StudyRunner(plan, new TinyStudies(), out, executor).run(false, QUIET,
                    false);
            assertEquals(2, TinyStudies.BUILT.size(), "both cells built their data in a task");
            for (int i = 0; i < local.size(); i++) {
                assertEquals(local.get(i).key(), remote.get(i).key());
                assertEquals(local.get(i).base(), remote.get(i).base());
                assertEquals(local.get(i).arms(), remote.get(i).arms());
                assertEquals(local.get(i).pretrainLoss(), remote.get(i).pretrainLoss());
                String id = remote.get(i).key().id();
                assertTrue(Files.exists(out.resolve("cells").resolve(id + ".json")));
                assertTrue(Files.exists(out.resolve("runs").resolve(id).resolve("ood-beta0.04.jsonl")),
                        "the task's run metrics are written under the sweep's runs/");
            }
            assertEquals(StudyReport.of(plan, local).table(), StudyReport.of(plan, remote).table(),
                    "the same report table");

            CellKey dropped = plan.cells().get(1);
            deleteQuietly(out.resolve("cells").resolve(dropped.id() + ".json"));
            TinyStudies.BUILT.clear();
            List<CellResult> again = new StudyRunner(plan, new TinyStudies(), out, executor).run(false, QUIET,
                    false);
            assertEquals(List.of(StudyAxis.DEPTH + "/" + dropped.oodFraction()), List.copyOf(TinyStudies.BUILT
                    .keySet()), "only the missing cell ran again");
            assertEquals(remote.get(0), again.get(0));
            assertEquals(remote.get(1).arms(), again.get(1).arms());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.delete(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
