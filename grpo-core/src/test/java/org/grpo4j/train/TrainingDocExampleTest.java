package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippets of docs/training.md and README.md, compiled and run on a tabular policy so they cannot rot. */
class TrainingDocExampleTest {

    @Test
    void theTrainingGuideExampleRuns(@TempDir Path runs) throws Exception {
        int eos = 3;
        List<Prompt> prompts = List.of(new Prompt("a", new int[] {0}, new int[] {2}),
                new Prompt("b", new int[] {1}, new int[] {1}));
        RewardVerifier correct = (p, c) -> Arrays.equals(p.target(), c) ? 1 : 0;
        RewardVerifier shortAnswer = (p, c) -> c.length <= 8 ? 1 : 0;
        RewardVerifier verifier = RewardVerifier.combine(
                new WeightedVerifier("correct", 1.0, correct),
                new WeightedVerifier("short", 0.1, shortAnswer));
        Policy policy = TabularPolicy.uniform(2, 4);

        TrainerConfig config = TrainerConfig.builder()
                .grpo(GrpoConfig.builder().groupSize(8).beta(0.04).build())
                .sampling(SamplingConfig.defaults().withMaxNewTokens(16).withEosToken(eos))
                .optimizer(OptimizerConfig.defaults())
                .promptsPerStep(2).groupsPerMiniBatch(1).iterationsPerBatch(2)
                .steps(4).seed(42)
                .checkpointEvery(2).checkpointDir(runs.resolve("ckpt"))
                .build();

        try (GrpoTrainer trainer = new GrpoTrainer(config, policy, verifier, prompts);
             JsonLinesMetricsWriter jsonl = new JsonLinesMetricsWriter(runs.resolve("metrics.jsonl"))) {
            trainer.addListener(jsonl).addListener(new ConsoleProgressBar(System.err));
            trainer.train();
        }
        assertEquals(4, Files.readAllLines(runs.resolve("metrics.jsonl")).size());
        assertTrue(Files.isRegularFile(runs.resolve("ckpt/checkpoint-000004.grpo4j")));

        // The resume snippet of "Checkpoints": the same run, extended (there from step 200 to 400, here 2 to 6).
        Policy resumed = TabularPolicy.uniform(2, 4);
        try (GrpoTrainer trainer = new GrpoTrainer(config.toBuilder().steps(6).build(), resumed, verifier, prompts)) {
            trainer.restore(runs.resolve("ckpt/checkpoint-000002.grpo4j"));
            assertEquals(4, trainer.train().size(), "steps 3 to 6");
            assertEquals(6, trainer.completedSteps());
        }
    }
}
