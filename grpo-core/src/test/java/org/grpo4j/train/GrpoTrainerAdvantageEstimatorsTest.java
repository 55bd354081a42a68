package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.Completion;
import org.grpo4j.GroupSampler;
import org.grpo4j.GrpoConfig;
import org.grpo4j.PartialRewardVerifier;
import org.grpo4j.Prompt;
import org.grpo4j.RewardAggregation;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.objective.Advantages;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.sampling.IndependentGroupSampler;
import org.junit.jupiter.api.Test;

/**
 * The trainer wires the ReMax greedy baseline and GDPO's per-verifier scores (with abstentions) into the advantages
 * the objective sees.
 */
class GrpoTrainerAdvantageEstimatorsTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1), Prompt.of("c", 2));

    /** Arg-max outputs (ties to the lowest id): prompt a → 3, b (uniform) → 0, c → 3. */
    private static final int[] GREEDY_OUTPUT = {3, 0, 3};

    private static TabularPolicy base() {
        return TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.25, 0.25, 0.25, 0.25},
                new double[] {0.05, 0.15, 0.0, 0.8});
    }

    private static TrainerConfig.Builder config(GrpoConfig grpo) {
        return TrainerConfig.builder().grpo(grpo)
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.05).build())
                .promptsPerStep(2).groupsPerMiniBatch(2).iterationsPerBatch(1).steps(3).seed(7);
    }

    /**
     * ReMax: the reward is 10 · prompt + output, so each recorded reward names its prompt; every advantage must be
     * the reward minus that prompt's greedy reward 10 · prompt + GREEDY_OUTPUT[prompt], exactly (no scaling), even
     * in groups whose sampled rewards are all equal.
     */
    @Test
    void remaxSubtractsTheRewardOfEachPromptsGreedyCompletion() {
        RewardVerifier encoded = (p, c) -> 10 * p.tokens()[0] + c[0];
        GrpoConfig remax = GrpoConfig.builder().groupSize(4).advantageBaseline(AdvantageBaseline.GREEDY)
                .advantageScaling(AdvantageScaling.NONE).beta(0).build();
        RecordingObjective objective = new RecordingObjective();
        List<StepMetrics> steps;
        try (GrpoTrainer trainer = new GrpoTrainer(config(remax).build(), base(), encoded, PROMPTS, objective)) {
            steps = trainer.train();
        }
        assertEquals(3, objective.calls.size());
        for (int s = 0; s < 3; s++) {
            RecordingObjective.Call call = objective.calls.get(s);
            double greedySum = 0;
            for (int q = 0; q < 2; q++) {
                int prompt = (int) (call.rewards()[q * 4] / 10);
                double greedy = 10 * prompt + GREEDY_OUTPUT[prompt];
                greedySum += greedy;
                for (int k = 0; k < 4; k++) {
                    int i = q * 4 + k;
                    assertEquals(prompt, (int) (call.rewards()[i] / 10), "one prompt per group");
                    assertEquals(call.rewards()[i] - greedy, call.advantages()[i], 0.0, "step " + s + " row " + i);
                }
            }
            assertEquals(greedySum / 2, steps.get(s).values().get("remax/greedy_reward_mean"), 1e-12);
        }
    }

    /** The default greedy completions are the arg-max ones whatever the temperature; the dynamic sampler delegates. */
    @Test
    void theDefaultGreedySampleIsTheArgMax() {
        GroupSampler sampler = new IndependentGroupSampler();
        SamplingConfig hot = SamplingConfig.defaults().withTemperature(5).withMaxNewTokens(1);
        List<Completion> greedy = sampler.sampleGreedy(base(), PROMPTS, hot, new SplittableRandom(1));
        assertEquals(3, greedy.size());
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(new int[] {GREEDY_OUTPUT[p]}, greedy.get(p).tokens());
        }
    }

    /** A user's sampler supplies its own greedy completions, and the dynamic sampler passes them through. */
    @Test
    void aSamplerMayProvideItsOwnGreedyCompletions() {
        List<Completion> remote = List.of(new Completion(new int[] {2}, new float[] {-0.1f}, false),
                new Completion(new int[] {1}, new float[] {-0.2f}, false));
        GroupSampler server = new GroupSampler() {
            @Override
            public org.grpo4j.GroupBatch sample(org.grpo4j.Policy policy, List<Prompt> prompts, int groupSize,
                                                SamplingConfig sampling, java.util.random.RandomGenerator rng) {
                return new IndependentGroupSampler().sample(policy, prompts, groupSize, sampling, rng);
            }

            @Override
            public List<Completion> sampleGreedy(org.grpo4j.Policy policy, List<Prompt> prompts,
                                                 SamplingConfig sampling, java.util.random.RandomGenerator rng) {
                return remote;
            }
        };
        try (org.grpo4j.verify.VerifierRunner runner = new org.grpo4j.verify.VerifierRunner((p, c) -> 0,
                org.grpo4j.verify.VerifierConfig.defaults())) {
            org.grpo4j.sampling.DynamicGroupSampler dynamic = new org.grpo4j.sampling.DynamicGroupSampler(server,
                    runner, 1);
            assertEquals(remote, dynamic.sampleGreedy(base(), PROMPTS.subList(0, 2), SamplingConfig.defaults(),
                    new SplittableRandom(2)));
        }
    }

    /**
     * GDPO in the trainer: verifier "exact" (weight 1) scores output 0 as 1, else 0; verifier "partial" (weight 0.1)
     * scores output c as c but abstains on output 3. The total 1·exact + 0.1·partial is 1, 0.1, 0.2, 0 for outputs
     * 0..3, so each recorded total names its output; the advantages must be GDPO's on those per-verifier scores
     * with output 3's abstentions, and differ from the sum-then-normalise advantages of the totals.
     */
    @Test
    void gdpoUsesEachVerifiersScoresAndAbstentions() {
        RewardVerifier exact = (p, c) -> c[0] == 0 ? 1 : 0;
        PartialRewardVerifier partial = (p, c) -> c[0] == 3 ? OptionalDouble.empty() : OptionalDouble.of(c[0]);
        RewardVerifier combined = RewardVerifier.combine(new WeightedVerifier("exact", 1, exact),
                new WeightedVerifier("partial", 0.1, partial));
        GrpoConfig gdpo = GrpoConfig.builder().groupSize(4).rewardAggregation(RewardAggregation.NORMALIZE_THEN_SUM)
                .beta(0).build();
        RecordingObjective objective = new RecordingObjective();
        List<StepMetrics> steps;
        try (GrpoTrainer trainer = new GrpoTrainer(config(gdpo).build(), base(), combined, PROMPTS, objective)) {
            steps = trainer.train();
        }
        boolean differs = false;
        int abstentions = 0;
        for (int s = 0; s < 3; s++) {
            RecordingObjective.Call call = objective.calls.get(s);
            int n = call.rewards().length;
            double[][] scores = new double[2][n];
            boolean[][] scored = new boolean[2][n];
            int own = 0;
            for (int i = 0; i < n; i++) {
                double t = call.rewards()[i];
                int output = t == 1 ? 0 : t == 0 ? 3 : (int) Math.round(t * 10);
                scores[0][i] = output == 0 ? 1 : 0;
                scored[0][i] = true;
                scores[1][i] = output == 3 ? 0 : output;
                scored[1][i] = output != 3;
                own += output == 3 ? 1 : 0;
            }
            abstentions += own;
            double[] expected = Advantages.normalizeThenSum(scores, scored, new double[] {1, 0.1}, gdpo);
            assertArrayEquals(expected, call.advantages(), 1e-12, "step " + s);
            assertEquals(own, steps.get(s).values().get("verifier/abstentions"), 0.0);
            assertEquals(0.0, steps.get(s).values().get("verifier/all_abstained"), 0.0);
            differs |= !java.util.Arrays.equals(expected, Advantages.compute(call.rewards(),
                    gdpo.toBuilder().rewardAggregation(RewardAggregation.SUM_THEN_NORMALIZE).build()));
            // TRL's nanmean: the partial verifier's mean is over the outputs it scored
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += scored[1][i] ? scores[1][i] : 0;
            }
            double mean = n - own > 0 ? sum / (n - own) : Double.NaN;
            assertEquals(mean, steps.get(s).values().get("rewards/partial/mean"), 1e-12);
        }
        assertTrue(differs, "GDPO differs from sum-then-normalise on these batches");
        assertTrue(abstentions > 0, "output 3 (mass 0.4, 0.25, 0.8) was sampled and abstained on");
    }

    /** A completion on which every verifier abstains gets the total 0 and is counted, as TRL's nansum. */
    @Test
    void everyVerifierAbstainingGivesZeroAndIsCounted() {
        PartialRewardVerifier onlyZero = (p, c) -> c[0] == 0 ? OptionalDouble.of(1) : OptionalDouble.empty();
        RecordingObjective objective = new RecordingObjective();
        GrpoConfig grpo = GrpoConfig.builder().groupSize(4).beta(0).build();
        List<StepMetrics> steps;
        try (GrpoTrainer trainer = new GrpoTrainer(config(grpo).build(), base(), onlyZero, PROMPTS, objective)) {
            steps = trainer.train();
        }
        List<Double> counted = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            double[] r = objective.calls.get(s).rewards();
            int none = 0;
            for (double v : r) {
                assertTrue(v == 0 || v == 1);
                none += v == 0 ? 1 : 0;
            }
            assertEquals(none, steps.get(s).values().get("verifier/all_abstained"), 0.0);
            counted.add(steps.get(s).values().get("verifier/all_abstained"));
            assertEquals(none < r.length ? 1.0 : Double.NaN, steps.get(s).values().get("rewards/verifier/mean"));
        }
        assertTrue(counted.stream().anyMatch(c -> c > 0), counted.toString());
    }
}
