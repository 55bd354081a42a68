package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.CombinedVerifier;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.verify.FailurePolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples of {@link GrpoTrainer}: determinism, resume from a checkpoint, verifier failures, metrics. */
class GrpoTrainerTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1), Prompt.of("c", 2));
    /** Output 0 scores 1, output 1 scores 0.5, the rest 0. */
    private static final RewardVerifier GRADED = (p, c) -> c[0] == 0 ? 1 : c[0] == 1 ? 0.5 : 0;

    private static TabularPolicy base() {
        return TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.25, 0.25, 0.25, 0.25},
                new double[] {0.05, 0.15, 0.0, 0.8});
    }

    /** Every moving part on: KL and a reference that is synced, μ = 2 over two mini-batches, dynamic sampling. */
    private static TrainerConfig.Builder everything() {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0.1).build())
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.05).build())
                .promptsPerStep(2).groupsPerMiniBatch(1).iterationsPerBatch(2).dynamicSampling(true)
                .refSyncEvery(2).refSyncAlpha(0.5).steps(6).seed(42);
    }

    private static double[][] train(TrainerConfig config) {
        TabularPolicy policy = base();
        try (GrpoTrainer trainer = new GrpoTrainer(config, policy, GRADED, PROMPTS)) {
            trainer.train();
        }
        return policy.logitTable();
    }

    @Test
    void sameConfigAndSeedGiveTheSameWeights() {
        double[][] first = train(everything().build());
        double[][] second = train(everything().build());
        assertArrayEquals(first, second);
        assertNotEquals(List.of(base().logitTable()), List.of(first), "training changed the policy");
        double[][] otherSeed = train(everything().seed(43).build());
        assertTrue(!java.util.Arrays.deepEquals(first, otherSeed), "another seed gives another run");
    }

    @Test
    void aRunResumedFromACheckpointEndsWithTheWeightsOfAnUninterruptedOne(@TempDir Path dir) {
        double[][] uninterrupted = train(everything().build());

        TrainerConfig checkpointing = everything().checkpointEvery(3).checkpointDir(dir).build();
        try (GrpoTrainer first = new GrpoTrainer(checkpointing, base(), GRADED, PROMPTS)) {
            for (int i = 0; i < 3; i++) {
                first.step();
            }
        }                                                             // "crash" after step 3
        Path checkpoint = dir.resolve("checkpoint-000003.grpo4j");
        assertTrue(Files.isRegularFile(checkpoint));

        TabularPolicy resumedPolicy = base();
        try (GrpoTrainer resumed = new GrpoTrainer(checkpointing, resumedPolicy, GRADED, PROMPTS)) {
            resumed.restore(checkpoint);
            assertEquals(3, resumed.completedSteps());
            assertEquals(3, resumed.train().size(), "steps 4 to 6 remain");
        }
        assertArrayEquals(uninterrupted, resumedPolicy.logitTable());
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint-000006.grpo4j")));
    }

    @Test
    void restoringSomethingElseIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.grpo4j");
        Files.write(junk, new byte[] {1, 2, 3});
        try (GrpoTrainer trainer = new GrpoTrainer(everything().build(), base(), GRADED, PROMPTS)) {
            Exception e = assertThrows(java.io.UncheckedIOException.class, () -> trainer.restore(junk));
            assertTrue(e.getMessage().contains("junk.grpo4j"), e.getMessage());

            Path other = dir.resolve("other.grpo4j");
            org.grpo4j.io.TensorArchive.write(other, Map.of("format", "something-else"), Map.of());
            assertEquals("something-else", org.grpo4j.io.TensorArchive.read(other).metadata().get("format"));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> trainer.restore(other));
            assertTrue(wrong.getMessage().contains("not a grpo4j checkpoint"), wrong.getMessage());
        }
    }

    @Test
    void withoutKlNoReferenceIsBuilt() {
        TrainerConfig config = everything().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0).build())
                .refSyncEvery(0).build();
        try (GrpoTrainer trainer = new GrpoTrainer(config, base(), GRADED, PROMPTS)) {
            assertNull(trainer.reference());
            trainer.step();
        }
    }

    @Test
    void aThrowingVerifierFailsTheRunNamingVerifierPromptAndCompletionAndLeavesThePolicyUnchanged() {
        RewardVerifier broken = RewardVerifier.named("broken", (p, c) -> {
            if (c[0] == 3) {
                throw new IllegalStateException("parser crashed");
            }
            return 1;
        });
        TabularPolicy policy = base();
        double[][] before = policy.logitTable();
        TrainerConfig config = everything().dynamicSampling(false).build();
        try (GrpoTrainer trainer = new GrpoTrainer(config, policy, broken, PROMPTS)) {
            VerifierException e = assertThrows(VerifierException.class, () -> {
                for (int i = 0; i < 20; i++) {
                    trainer.step();                                   // output 3 has mass 0.4 or 0.8: it comes soon
                }
            });
            assertTrue(e.getMessage().contains("broken"), e.getMessage());
            assertTrue(e.getMessage().contains("[3]"), e.getMessage());
            assertTrue(e.getMessage().contains("parser crashed") || e.getCause().getMessage().contains("parser"),
                    e.getMessage());
            if (trainer.completedSteps() == 0) {
                assertArrayEquals(before, policy.logitTable(), "the failed step updated nothing");
            }
        }
    }

    @Test
    void failingAndHangingVerifiersCanBeScoredAndCounted() {
        RewardVerifier flaky = (p, c) -> {
            if (c[0] == 3) {
                throw new IllegalStateException("bad output");
            }
            if (c[0] == 2) {
                Thread.sleep(10_000);                                 // hangs past the time limit
            }
            return c[0] == 0 ? 1 : 0;
        };
        VerifierConfig scoring = new VerifierConfig(2, Duration.ofMillis(200), FailurePolicy.SCORE, -1);
        TabularPolicy policy = base();
        TrainerConfig config = everything().dynamicSampling(false).verifiers(scoring).steps(2).build();
        List<StepMetrics> steps;
        try (GrpoTrainer trainer = new GrpoTrainer(config, policy, flaky, PROMPTS)) {
            steps = trainer.train();
        }
        double failures = steps.stream().mapToDouble(s -> s.get("verifier/failures")).sum();
        double timeouts = steps.stream().mapToDouble(s -> s.get("verifier/timeouts")).sum();
        assertTrue(failures > 0, "the throwing verifier was counted");
        assertTrue(timeouts > 0, "the hanging verifier was counted");
        for (double[] row : policy.logitTable()) {
            for (double v : row) {
                assertTrue(Double.isFinite(v) || v == Double.NEGATIVE_INFINITY, "weights stay numbers");
            }
        }
    }

    @Test
    void metricsCarryTrlNamesPerVerifierAndReachEveryListener(@TempDir Path dir) throws IOException {
        CombinedVerifier combined = RewardVerifier.combine(
                new WeightedVerifier("best", 1.0, (p, c) -> c[0] == 0 ? 1 : 0),
                new WeightedVerifier("second", 0.5, (p, c) -> c[0] == 1 ? 1 : 0));
        Path jsonl = dir.resolve("metrics.jsonl");
        List<StepMetrics> seen = new ArrayList<>();
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        TrainerConfig config = everything().steps(3).build();
        try (GrpoTrainer trainer = new GrpoTrainer(config, base(), combined, PROMPTS);
             JsonLinesMetricsWriter writer = new JsonLinesMetricsWriter(jsonl)) {
            trainer.addListener(seen::add).addListener(writer)
                    .addListener(new ConsoleProgressBar(new java.io.PrintStream(console, true,
                            java.nio.charset.StandardCharsets.UTF_8)));
            trainer.train();
        }
        assertEquals(3, seen.size());
        StepMetrics m = seen.get(2);
        assertEquals(3, m.step());
        for (String name : List.of("loss", "reward", "reward_std", "rewards/best/mean", "rewards/best/std",
                "rewards/second/mean", "rewards/second/std", "frac_reward_zero_std", "kl", "clip_ratio/low_mean",
                "clip_ratio/high_mean", "clip_ratio/region_mean", "entropy", "completions/mean_length",
                "completions/min_length", "completions/max_length", "completions/clipped_ratio", "grad_norm",
                "learning_rate", "tokens_per_second", "sampling/rounds", "sampling/dropped_groups")) {
            assertTrue(m.values().containsKey(name), "metric " + name);
            assertTrue(Double.isFinite(m.get(name)), name + " = " + m.get(name));
        }
        double weighted = m.get("rewards/best/mean") + 0.5 * m.get("rewards/second/mean");
        assertEquals(weighted, m.get("reward"), 1e-12, "the total is the weighted sum of the parts");
        assertEquals(1.0, m.get("completions/mean_length"));

        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("{\"step\":1,"), lines.get(0));
        assertTrue(lines.get(2).contains("\"rewards/best/mean\":"), lines.get(2));
        String printed = console.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.contains("3/3"), printed);
    }

    @Test
    void theLeaveOneOutBaselineAlsoTrains() {
        TrainerConfig config = everything().grpo(GrpoConfig.defaults().toBuilder().groupSize(4)
                .advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT).build()).build();
        double[][] after = train(config);
        double[] p = TabularPolicy.ofLogits(after).rowProbabilities(2);
        assertTrue(p[0] + p[1] > 0.05 + 0.15, "mass moved to the rewarded outputs: " + java.util.Arrays.toString(p));
        assertEquals(0.0, p[2], "the output without base mass stays without mass");
    }
}
