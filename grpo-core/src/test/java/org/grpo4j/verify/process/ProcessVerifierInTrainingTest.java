package org.grpo4j.verify.process;

import static org.grpo4j.verify.process.Scripts.completions;
import static org.grpo4j.verify.process.Scripts.prompts;
import static org.grpo4j.verify.process.Scripts.sh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.StepMetrics;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.verify.FailurePolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierException;
import org.grpo4j.verify.VerifierRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcessVerifier} under the {@link VerifierRunner} and the {@link GrpoTrainer}: batches, failures, limits. */
class ProcessVerifierInTrainingTest {
    /** Crashes on the batch holding prompt p5; otherwise scores 1 for completions starting with token 2. */
    private static final String CRASH_ON_P5 = """
            echo run >> runs.log
            while IFS= read -r line; do
              case "$line" in
                *'"prompt_id":"p5"'*) echo "cannot score p5" >&2; exit 1 ;;
                *'"completion":[2,'*) echo 1 ;;
                *) echo 0 ;;
              esac
            done
            """;

    @TempDir
    Path dir;

    @AfterEach
    void noHelperThreadOutlivesACall() throws InterruptedException {
        assertEquals(List.of(), Scripts.helperThreadsAfterAWhile());
    }

    @Test
    void theRunnerSendsBatchesOfTheBatchSizeAndScoresAFailedBatchWithTheFailureReward() throws Exception {
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", CRASH_ON_P5).batchSize(4).build());
        VerifierConfig cfg = VerifierConfig.defaults().scoringFailuresAs(-1);
        try (VerifierRunner r = new VerifierRunner(v, cfg)) {
            Rewards rw = r.score(prompts(10), completions(10));
            assertArrayEquals(new double[] {0, 0, 1, 0, -1, -1, -1, -1, 0, 0}, rw.total(), 0);
            assertEquals(4, rw.failures(), "every completion of the failed process");
            assertEquals(0, rw.timeouts());
        }
        assertEquals(3, Files.readAllLines(dir.resolve("runs.log")).size(), "processes of 4, 4 and 2 completions");
    }

    @Test
    void underFailTheStepStopsWithTheCommandsMessage() throws Exception {
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", CRASH_ON_P5).name("sandbox").batchSize(4).build());
        try (VerifierRunner r = new VerifierRunner(RewardVerifier.combine(new WeightedVerifier("sandbox", 1.0, v)),
                VerifierConfig.defaults())) {
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(prompts(8), completions(8)));
            assertTrue(e.getMessage().startsWith("verifier 'sandbox' threw org.grpo4j.verify.process."
                    + "RewardProcessException: reward command [/bin/sh, score.sh] exited with 1 after 1 of 4 rewards;"
                    + " stderr: cannot score p5 on completions 4 to 7 of the batch (the first: prompt 'p4' [1, 4] "
                    + "with completion [4, 5])"), e.getMessage());
            assertEquals(RewardProcessException.class, e.getCause().getClass());
        }
    }

    @Test
    void theRunnersTimeLimitKillsTheProcessTreeAndFreesTheSlot() throws Exception {
        String script = "echo $$ > pids; sleep 1000 & echo $! >> pids; wait\n";
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "hang.sh", script).timeLimit(Duration.ofSeconds(60)).build());
        VerifierConfig cfg = new VerifierConfig(1, Duration.ofMillis(500), FailurePolicy.SCORE, -1);
        try (VerifierRunner r = new VerifierRunner(v, cfg)) {
            Rewards rw = r.score(prompts(3), completions(3));
            assertArrayEquals(new double[] {-1, -1, -1}, rw.total(), 0);
            assertEquals(3, rw.timeouts());
            assertEquals(1, rw.abandoned());
            long end = System.nanoTime() + 5_000_000_000L;
            while (r.stuckCalls() > 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(0, r.stuckCalls(), "the interrupted call killed its process and returned");
        }
        for (long pid : Scripts.pids(dir.resolve("pids"))) {
            assertFalse(Scripts.running(pid), "process " + pid);
        }
    }

    @Test
    void aTrainerLearnsFromAScriptAndSurvivesOneThatHangs() throws Exception {
        List<Prompt> prompts = List.of(Prompt.of("a", 0), Prompt.of("b", 1));
        TrainerConfig.Builder config = TrainerConfig.builder()
                .grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0).build())
                .promptsPerStep(2).steps(3).seed(3);
        ProcessVerifier good = ProcessVerifier.of(sh(dir, "good.sh", """
                while IFS= read -r line; do
                  case "$line" in *'"completion":[0]'*) echo 1 ;; *) echo 0 ;; esac
                done
                """).build());
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.25, 0.25, 0.25, 0.25},
                new double[] {0.25, 0.25, 0.25, 0.25});
        List<StepMetrics> steps;
        try (GrpoTrainer trainer = new GrpoTrainer(config.build(), policy, good, prompts)) {
            steps = trainer.train();
        }
        assertEquals(3, steps.size());
        assertTrue(steps.stream().anyMatch(s -> s.get("reward") > 0), "the script's rewards reached the trainer");
        assertEquals(0, steps.get(2).get("verifier/failures"));

        ProcessVerifier hangs = ProcessVerifier.of(sh(dir, "hang.sh", "exec sleep 1000\n")
                .timeLimit(Duration.ofMillis(300)).build());
        VerifierConfig scoring = new VerifierConfig(2, Duration.ofSeconds(10), FailurePolicy.SCORE, 0);
        try (GrpoTrainer trainer = new GrpoTrainer(config.steps(1).verifiers(scoring).build(), policy, hangs,
                prompts)) {
            StepMetrics m = trainer.step();
            assertEquals(8, m.get("verifier/failures"), "the process's own limit: a failure of all 8 completions");
            assertEquals(0, m.get("verifier/stuck"));
            assertEquals(0, m.get("reward"));
        }
    }
}
