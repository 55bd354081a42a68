package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMode;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;

/**
 * The trainer's plumbing of the per-token corrections: it hands the sampler's log-probabilities
 * ({@link org.grpo4j.Completion#logProbs()}) and the policy's entropies to the objective when a correction reads
 * them, and reports TRL's {@code sampling/*} metrics.
 */
class GrpoTrainerCorrectionTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1));
    private static final RewardVerifier ID = (p, c) -> c[0];

    private static TabularPolicy policy() {
        return TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.4, 0.3, 0.2, 0.1});
    }

    private static Map<String, Double> lastStep(GrpoConfig grpo, SamplingConfig sampling, int iterations) {
        TrainerConfig c = TrainerConfig.builder().grpo(grpo).sampling(sampling)
                .optimizer(OptimizerConfig.adam().toBuilder().learningRate(0.05).build())
                .promptsPerStep(2).groupsPerMiniBatch(1).iterationsPerBatch(iterations).steps(2).seed(5).build();
        try (GrpoTrainer trainer = new GrpoTrainer(c, policy(), ID, PROMPTS)) {
            List<StepMetrics> steps = trainer.train();
            return steps.get(steps.size() - 1).values();
        }
    }

    private static GrpoConfig.Builder grpo() {
        return GrpoConfig.defaults().toBuilder().groupSize(4).beta(0);
    }

    @Test
    void withoutCorrectionNoSamplingMetricIsReported() {
        Map<String, Double> m = lastStep(grpo().build(), SamplingConfig.defaults().withMaxNewTokens(1), 1);
        assertFalse(m.containsKey("sampling/importance_sampling_ratio/mean"), m.toString());
        assertFalse(m.containsKey("sampling/off_policy_masked_fraction"));
        assertFalse(m.containsKey("entropy/masked_fraction"));
    }

    /**
     * At temperature 1 the tabular sampler records exactly the policy's log-probabilities (up to FLOAT rounding),
     * and {@code logpOld} is taken once per batch, before any update (μ = 2 here, so it is taken): every weight
     * {@code pi_old / pi_sampling} is 1 and the difference 0, in every mini-batch.
     */
    @Test
    void aMatchingSamplerGivesWeightsNearOne() {
        GrpoConfig g = grpo().rolloutCorrection(RolloutCorrection.trl(CorrectionMode.TRUNCATE,
                CorrectionLevel.TOKEN, 2)).build();
        Map<String, Double> m = lastStep(g, SamplingConfig.defaults().withMaxNewTokens(1), 2);
        assertEquals(1.0, m.get("sampling/importance_sampling_ratio/mean"), 1e-5, m.toString());
        assertEquals(1.0, m.get("sampling/importance_sampling_ratio/min"), 1e-5);
        assertEquals(1.0, m.get("sampling/importance_sampling_ratio/max"), 1e-5);
        assertEquals(0.0, m.get("sampling/sampling_logp_difference/max"), 1e-5);
    }

    /**
     * At temperature 2 the sampler's distribution is flatter than the policy's: the recorded log-probabilities
     * differ from the trainer's, the difference metric sees it and the truncated weights lie in (0, cap].
     */
    @Test
    void aMismatchedSamplerIsMeasuredAndTruncated() {
        GrpoConfig g = grpo().rolloutCorrection(RolloutCorrection.trl(CorrectionMode.TRUNCATE,
                CorrectionLevel.TOKEN, 1.2).withOffPolicyMask(0.01)).entropyControl(EntropyControl.topQuantile(0.5))
                .build();
        Map<String, Double> m = lastStep(g, SamplingConfig.defaults().withMaxNewTokens(1).withTemperature(2), 1);
        assertTrue(m.get("sampling/sampling_logp_difference/max") > 0.05, m.toString());
        assertTrue(m.get("sampling/importance_sampling_ratio/min") > 0);
        assertTrue(m.get("sampling/importance_sampling_ratio/max") <= 1.2);
        assertTrue(m.get("sampling/importance_sampling_ratio/min") < 1, "a flatter sampler over-samples some token");
        double opsm = m.get("sampling/off_policy_masked_fraction");
        assertTrue(opsm >= 0 && opsm <= 1);
        double masked = m.get("entropy/masked_fraction");
        assertTrue(masked >= 0 && masked < 1);
    }

    private static TrainerConfig.Builder adaptiveRun(EntropyControl ec) {
        return TrainerConfig.builder().grpo(grpo().entropyControl(ec).build())
                .sampling(SamplingConfig.defaults().withMaxNewTokens(1))
                .optimizer(OptimizerConfig.adam().toBuilder().learningRate(0.05).build())
                .promptsPerStep(2).steps(4).seed(5);
    }

    /**
     * Skywork-OR1's adaptive entropy control: with a target above every reachable entropy (4 outputs: at most
     * ln 4 ≈ 1.39 nats) each step applies c_k = 0.1 + 0.05 (k − 1) and then raises it by Δ = 0.05; with a target of
     * 0 the entropy is always above it, so the applied coefficient is 0 from the first step on.
     */
    @Test
    void adaptiveCoefficientFollowsTheRule() {
        try (GrpoTrainer trainer = new GrpoTrainer(adaptiveRun(EntropyControl.adaptiveBonus(0.1, 10, 0.05)).build(),
                policy(), ID, PROMPTS)) {
            List<StepMetrics> steps = trainer.train();
            for (int k = 0; k < steps.size(); k++) {
                assertEquals(0.1 + 0.05 * k, steps.get(k).values().get("entropy/coefficient"), 1e-12);
                assertTrue(steps.get(k).values().get("loss/entropy_bonus") > 0);
            }
        }
        try (GrpoTrainer trainer = new GrpoTrainer(adaptiveRun(EntropyControl.adaptiveBonus(0.1, 0, 0.05)).build(),
                policy(), ID, PROMPTS)) {
            for (StepMetrics m : trainer.train()) {
                assertEquals(0.0, m.values().get("entropy/coefficient"), 0.0);
                assertTrue(m.values().get("entropy") > 0);
            }
        }
    }

    /** The adapted coefficient is saved in the checkpoint: a resumed run ends with the uninterrupted one's weights. */
    @Test
    void adaptiveCoefficientSurvivesACheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        EntropyControl ec = EntropyControl.adaptiveBonus(0.05, 10, 0.1);
        TabularPolicy whole = policy();
        try (GrpoTrainer trainer = new GrpoTrainer(adaptiveRun(ec).build(), whole, ID, PROMPTS)) {
            trainer.train();
        }
        TabularPolicy first = policy();
        try (GrpoTrainer trainer = new GrpoTrainer(adaptiveRun(ec).steps(2).checkpointEvery(2).checkpointDir(dir)
                .build(), first, ID, PROMPTS)) {
            trainer.train();
        }
        TabularPolicy resumed = policy();
        try (GrpoTrainer trainer = new GrpoTrainer(adaptiveRun(ec).build(), resumed, ID, PROMPTS)) {
            trainer.restore(dir.resolve("checkpoint-000002.grpo4j"));
            List<StepMetrics> rest = trainer.train();
            assertEquals(0.05 + 0.1 * 2, rest.get(0).values().get("entropy/coefficient"), 1e-12);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(whole.logitTable(), resumed.logitTable());
    }
}
