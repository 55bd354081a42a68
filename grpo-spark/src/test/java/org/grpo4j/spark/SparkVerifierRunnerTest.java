package org.grpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.verify.FailurePolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierException;
import org.grpo4j.verify.VerifierRunner;
import org.grpo4j.verify.process.ProcessVerifier;
import org.grpo4j.verify.process.ProcessVerifierConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SparkVerifierRunner} in {@code local[2]}: the scores of a local {@link VerifierRunner} in input order for
 * any partitioning, time limits enforced in the tasks, the out-of-process verifier, and the same result when run
 * again (a retry).
 */
class SparkVerifierRunnerTest {
    private static JavaSparkContext spark;
    private static final List<Prompt> PROMPTS = new ArrayList<>();
    private static final List<int[]> COMPLETIONS = new ArrayList<>();

    @BeforeAll
    static void start() {
        spark = TestSpark.local();
        SplittableRandom r = new SplittableRandom(3);
        List<Prompt> ps = Fixtures.prompts(10, 5);
        for (int i = 0; i < 40; i++) {
            PROMPTS.add(ps.get(i % ps.size()));
            int[] c = new int[1 + r.nextInt(4)];
            for (int j = 0; j < c.length; j++) {
                c[j] = r.nextInt(Fixtures.VOCABULARY);
            }
            COMPLETIONS.add(c);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Rewards local(RewardVerifier v, VerifierConfig c, List<Prompt> ps, List<int[]> cs) {
        try (VerifierRunner r = new VerifierRunner(v, c)) {
            return r.score(ps, cs);
        }
    }

    private static void assertSameScores(Rewards expected, Rewards actual) {
        assertArrayEquals(expected.total(), actual.total());
        assertEquals(expected.byVerifier().keySet(), actual.byVerifier().keySet());
        expected.byVerifier().forEach((k, v) -> assertArrayEquals(v, actual.byVerifier().get(k), k));
        assertEquals(expected.failures(), actual.failures());
        assertEquals(expected.timeouts(), actual.timeouts());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64})
    void theScoresAreTheLocalRunnersInInputOrder(int partitions) {
        Rewards expected = local(new Fixtures.TargetCount(), VerifierConfig.defaults(), PROMPTS, COMPLETIONS);
        SparkVerifierRunner runner = new SparkVerifierRunner(spark, VerifierFactory.of(new Fixtures.TargetCount()),
                VerifierConfig.defaults(), partitions);
        Rewards first = runner.score(PROMPTS, COMPLETIONS);
        assertSameScores(expected, first);
        assertSameScores(first, runner.score(PROMPTS, COMPLETIONS));   // a rerun, as a retried task, scores alike
    }

    /**
     * The limit is enforced where the call runs: completions starting with token 7 make the verifier sleep past a
     * 300 ms limit; under SCORE they get the failure reward and are counted, as locally.
     */
    @Test
    void theTimeLimitIsEnforcedInTheTask() {
        VerifierFactory sleepy = () -> RewardVerifier.named("sleepy", (p, c) -> {
            if (c[0] == 7) {
                Thread.sleep(5_000);
            }
            return c.length;
        });
        VerifierConfig config = new VerifierConfig(4, Duration.ofMillis(300), FailurePolicy.SCORE, -1);
        List<Prompt> ps = PROMPTS.subList(0, 8);
        List<int[]> cs = new ArrayList<>(List.of(new int[] {7}, new int[] {1, 2}, new int[] {7, 1}, new int[] {3},
                new int[] {2}, new int[] {7}, new int[] {4, 4, 4}, new int[] {5}));
        Rewards r = new SparkVerifierRunner(spark, sleepy, config, 3).score(ps, cs);
        assertArrayEquals(new double[] {-1, 2, -1, 1, 1, -1, 3, 1}, r.total());
        assertEquals(3, r.timeouts());
        assertEquals(3, r.abandoned());
        VerifierConfig failing = new VerifierConfig(4, Duration.ofMillis(300), FailurePolicy.FAIL, 0);
        VerifierException e = assertThrows(VerifierException.class,
                () -> new SparkVerifierRunner(spark, sleepy, failing, 2).score(ps, cs));
        assertTrue(e.getMessage().contains("sleepy"), e.getMessage());
    }

    /** The guide's out-of-process verifier (docs/training.md), built in each task from a serializable factory. */
    @Test
    void theProcessVerifierRunsInTheTasks(@TempDir Path dir) throws IOException {
        String text = Files.readString(Path.of("..", "docs", "training.md"));
        int start = text.indexOf("```sh\n");
        Files.writeString(dir.resolve("score.sh"), text.substring(start + 6, text.indexOf("```", start + 6)));
        String folder = dir.toString();
        VerifierFactory process = () -> ProcessVerifier.of(ProcessVerifierConfig
                .builder(List.of("/bin/sh", "score.sh"), Path.of(folder)).name("exact")
                .timeLimit(Duration.ofSeconds(20)).batchSize(8).environment("LC_ALL", "C").build());
        List<Prompt> ps = new ArrayList<>();
        List<int[]> cs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Prompt p = new Prompt("p" + i, new int[] {1}, new int[] {i % 3, 5});
            ps.add(p);
            cs.add(i % 2 == 0 ? new int[] {i % 3, 5} : new int[] {i % 3});
        }
        Rewards r = new SparkVerifierRunner(spark, process, VerifierConfig.defaults(), 3).score(ps, cs);
        double[] expected = new double[12];
        for (int i = 0; i < 12; i += 2) {
            expected[i] = 1;
        }
        assertArrayEquals(expected, r.total());
        assertEquals(List.of("exact"), List.copyOf(r.byVerifier().keySet()));
    }

    @Test
    void badArgumentsAreRejectedByName() {
        VerifierFactory v = VerifierFactory.of(new Fixtures.TargetCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkVerifierRunner(spark, v, VerifierConfig.defaults(), 0));
        assertEquals("partitions must be ≥ 1, was 0", e.getMessage());
        SparkVerifierRunner r = new SparkVerifierRunner(spark, v, VerifierConfig.defaults(), 2);
        assertEquals("prompts size (1) must equal completions size (0)", assertThrows(IllegalArgumentException.class,
                () -> r.score(PROMPTS.subList(0, 1), List.of())).getMessage());
        assertEquals("prompts must not be empty", assertThrows(IllegalArgumentException.class,
                () -> r.score(List.of(), List.of())).getMessage());
    }
}
