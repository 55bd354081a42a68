package org.grpo4j.tasks.study.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, bad options, and a tiny study of all four axes on the real environment. */
class StudyCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return StudyCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void helpListsEveryOption() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--mode", "--out", "--fresh", "--axes", "--p", "--seeds", "--betas",
                "--length-encodings", "--pretrain-steps", "--pretrain-batch", "--pretrain-lr", "--grpo-lr",
                "--group-size", "--short-steps", "--long-steps", "--[no-]id-arm", "--eval-samples", "--report-only",
                "--pretrain-examples", "--eval-prompts", "--layers", "--width", "--threads", "--gain-threshold")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
    }

    @Test
    void badOptionsExitWithTwoAndNameTheValue() {
        assertEquals(2, run("--mode", "medium"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("medium"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("--seeds", "0", "--out", "unused"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("seeds must be ≥ 1, was 0"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void numbersOutOfRangeAreRefusedByNameBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        assertEquals(2, run("--long-steps", "99999999999", "--out", dir.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("--long-steps") && e.contains("99999999999"), e);
        err.reset();
        // full mode's long horizon is 10 × the short one: an int short horizon whose scaled long horizon does not
        // fit an int used to wrap around silently
        assertEquals(2, run("--mode", "full", "--short-steps", "2000000000", "--out", dir.toString()));
        e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("--short-steps 2000000000 makes the long horizon 20000000000 steps"), e);
        err.reset();
        assertEquals(2, run("--p", "1.5", "--out", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("1.5"), err.toString(StandardCharsets.UTF_8));
        try (var listing = java.nio.file.Files.list(dir)) {
            assertEquals(0, listing.count(), "nothing was written");
        }
    }

    @Test
    void aTinyStudyOfAllFourAxesWritesItsReport(@TempDir Path dir) throws Exception {
        List<String> tiny = List.of("--out", dir.toString(), "--p", "0,0.5", "--pretrain-steps", "4",
                "--pretrain-examples", "60", "--eval-prompts", "3", "--eval-samples", "2", "--short-steps", "1",
                "--long-steps", "2", "--layers", "1", "--width", "8", "--group-size", "2", "--betas", "0.04,0",
                "--id-arm", "--length-encodings", "learned,rotary");
        int code = run(tiny.toArray(String[]::new));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        for (String axis : List.of("depth", "length", "token-representation", "composition")) {
            assertTrue(table.contains("| " + axis + " |"), axis);
        }
        assertTrue(table.contains("| rotary |"));
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
        assertEquals(10, json.getAsJsonArray("cells").size(), "4 axes × 2 p, the length axis twice");
        assertEquals(7, json.getAsJsonArray("claims").size());
        assertTrue(Files.readString(dir.resolve("report.md")).contains("## Observed accuracy after GRPO"));
        assertFalse(Files.readString(dir.resolve("report.md")).contains("Unfinished sweep"));

        // an unfinished sweep: keep only the depth cells; --report-only (with another thread count) reports them and
        // runs nothing
        try (var files = Files.list(dir.resolve("cells"))) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("depth-")).toList()) {
                Files.delete(f);
            }
        }
        deleteTree(dir.resolve("plots"));
        List<String> reportOnly = new java.util.ArrayList<>(tiny);
        reportOnly.addAll(List.of("--report-only", "--threads", "1"));
        out.reset();
        assertEquals(0, run(reportOnly.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        try (var files = Files.list(dir.resolve("cells"))) {
            assertEquals(2, files.count(), "--report-only ran no cell");
        }
        assertTrue(Files.readString(dir.resolve("report.md")).contains("Unfinished sweep: 2 of the plan's 10 cells"));
        assertTrue(Files.readString(dir.resolve("report.md")).contains("no cell ran in this invocation"));
        assertTrue(Files.exists(dir.resolve("plots").resolve("accuracy-depth.png")));
        assertFalse(Files.exists(dir.resolve("plots").resolve("accuracy-length.png")), "no cells, no plot");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("reporting 2 of 10 cells"));
    }

    @Test
    void reportOnlyWithoutFinishedCellsFails(@TempDir Path dir) {
        assertEquals(1, run("--out", dir.toString(), "--report-only"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no finished cell"),
                err.toString(StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
