package org.grpo4j.tasks.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grpo4j.tasks.study.report.StudyReport;
import org.grpo4j.tasks.study.report.Verdict;
import org.grpo4j.transformer.PositionEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny end-to-end study: every cell runs, the report's files parse, a resumed run redoes only missing cells. */
class StudyRunnerTest {

    static StudyPlan tinyPlan() {
        return new StudyPlan(StudyMode.QUICK, List.of(StudyAxis.DEPTH, StudyAxis.LENGTH), List.of(0.0, 0.5), 2,
                List.of(PositionEncoding.LEARNED), new DatasetSizes(64, 8, 6), 1, 2, 8, 12, 16, 1e-2, 4, 2, 1e-3,
                2, 3, List.of(0.04, 0.0), true, 4, 0.05, 2);
    }

    @Test
    void runsEveryCellWritesAParsableReportAndResumes(@TempDir Path out) throws Exception {
        StudyPlan plan = tinyPlan();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<CellResult> cells = new StudyRunner(plan, new TinyEnvironment(), out).run(false, quiet, false);
        assertEquals(plan.cells(), cells.stream().map(CellResult::key).toList());
        for (CellResult c : cells) {
            assertEquals("ood-3", c.primaryOodSplit());
            // 2 arms × 2 β × 2 horizons, each measured on both splits
            assertEquals(8, c.arms().size());
            assertTrue(Files.size(out.resolve("runs").resolve(c.key().id()).resolve("ood-beta0.04.jsonl")) > 0);
        }

        StudyReport report = StudyReport.of(plan, cells);
        String md = report.write(out, 1.0);
        assertTrue(md.contains("## Claims"));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertEquals(cells.size(), json.getAsJsonArray("cells").size());
        assertEquals(report.claims().size(), json.getAsJsonArray("claims").size());
        for (var claim : json.getAsJsonArray("claims")) {
            Verdict.valueOf(claim.getAsJsonObject().get("verdict").getAsString());
        }
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(csv.get(0).startsWith("cell,axis,positions,p,seed,arm,beta,steps,split"));
        // per cell: (1 base + 8 runs) × 2 splits × (2 accuracies + 3 pass@k with n = 4: k = 1, 2, 4)
        assertEquals(1 + cells.size() * 9 * 2 * 5, csv.size());
        for (String plot : List.of("accuracy-depth", "passk-length", "calibration")) {
            byte[] png = Files.readAllBytes(out.resolve("plots").resolve(plot + ".png"));
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
        }

        // resume with another thread count: drop one cell's result; only it runs again, and it comes out the same
        CellResult dropped = cells.get(1);
        Files.delete(out.resolve("cells").resolve(dropped.key().id() + ".json"));
        long before = Files.getLastModifiedTime(out.resolve("cells").resolve(cells.get(0).key().id() + ".json"))
                .toMillis();
        List<CellResult> again = new StudyRunner(plan.withThreads(1), new TinyEnvironment(), out)
                .run(false, quiet, false);
        assertEquals(cells.get(0), again.get(0));
        assertEquals(before, Files.getLastModifiedTime(out.resolve("cells").resolve(cells.get(0).key().id()
                + ".json")).toMillis());
        assertEquals(dropped.base(), again.get(1).base());
        assertEquals(dropped.arms(), again.get(1).arms());
    }

    @Test
    void refusesAFolderOfAnotherPlanUnlessFresh(@TempDir Path out) {
        StudyPlan plan = tinyPlan();
        StudyJson.write(out.resolve("plan.json"), StudyPlan.of(StudyMode.FULL));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new StudyRunner(plan, new TinyEnvironment(), out).run(false, quiet, false));
        assertTrue(e.getMessage().contains("different plan"), e.getMessage());
        assertFalse(Files.exists(out.resolve("cells")));
    }
}
