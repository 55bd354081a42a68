package org.grpo4j.spark.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sweep command: its own options, and the study command's options passed on (here one it rejects). */
class SparkStudyCommandTest {

    @Test
    void helpNamesTheClusterOptionsAndStudyOptionsArePassedOn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, SparkStudyCommand.execute(o, e, "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--master") && help.contains("--executor-classpath"), help);

        String scratch = System.getProperty("grpo.spark.scratch", "target/spark");
        assertEquals(2, SparkStudyCommand.execute(o, e, "--master", "local[1]", "--scratch", scratch, "--seeds",
                "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("seeds must be ≥ 1, was 0"),
                err.toString(StandardCharsets.UTF_8));
    }
}
