package org.grpo4j.bench.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real recording: samples of a busy loop inside a measured step are counted and attributed to it; those of a
 * loop outside any measured step are not.
 */
class ProfileSummaryTest {
    private static volatile double sink;

    @Test
    void onlySamplesInsideMeasuredStepsAreCountedAndAttributed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("r.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            r.enable(MeasuredStep.class);
            r.start();
            warmUpOutside();
            MeasuredStep span = MeasuredStep.start("busy");
            busyInside();
            span.commit();
            warmUpOutside();
            r.stop();
            r.dump(file);
        }
        Map<String, ProfileSummary.Summary> s = ProfileSummary.summarize(file);
        assertEquals(1, s.size(), s.toString());
        ProfileSummary.Summary busy = s.get("busy");
        assertEquals(1, busy.steps());
        assertTrue(busy.samples() > 0, "the busy loop was sampled: " + busy);
        assertTrue(busy.categories().containsKey("Java ProfileSummaryTest.busyInside"), busy.categories().toString());
        assertFalse(busy.categories().keySet().stream().anyMatch(k -> k.contains("warmUpOutside")),
                busy.categories().toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProfileSummary.print(new PrintStream(out, true, StandardCharsets.UTF_8), s);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("#### busy: " + busy.samples() + " samples in 1 measured steps"), text);
        assertTrue(text.contains("| Java ProfileSummaryTest.busyInside |"), text);
    }

    @Test
    void aPathThatIsNotAFileIsRefusedNamingIt(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> ProfileSummary.summarize(dir));
        assertEquals(dir + ": not a regular file", e.getMessage());
    }

    /** Spins until the thread has had 50 ms of CPU (at most 10 s of wall time, for a loaded machine). */
    private static void busyInside() {
        long until = cpuNanos() + 50_000_000L;
        long wallLimit = System.nanoTime() + 10_000_000_000L;
        double x = 0;
        while (cpuNanos() < until && System.nanoTime() < wallLimit) {
            for (int i = 0; i < 10_000; i++) {
                x += Math.sqrt(i + x);
            }
        }
        sink = x;
    }

    /** The same outside any measured step, with other arithmetic so its frames differ: 20 ms of CPU. */
    private static void warmUpOutside() {
        long until = cpuNanos() + 20_000_000L;
        long wallLimit = System.nanoTime() + 10_000_000_000L;
        double y = 1;
        while (cpuNanos() < until && System.nanoTime() < wallLimit) {
            for (int i = 0; i < 10_000; i++) {
                y = Math.sin(y + i);
            }
        }
        sink = y;
    }

    private static long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.getCurrentThreadCpuTime();
    }
}
