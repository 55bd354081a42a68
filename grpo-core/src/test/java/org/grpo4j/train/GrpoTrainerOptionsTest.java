package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SequenceBatch;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link TrainerConfig} options {@link GrpoTrainerTest} only runs: the reference sync (TRL's
 * {@code sync_ref_model}), DAPO's overlong filtering ({@code maskTruncated}), μ iterations over mini-batches with
 * old log-probabilities taken once per batch, and the dynamic-sampling metrics.
 */
class GrpoTrainerOptionsTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1));
    /** The reward is the output's id, so a group is flat only if all its completions agree. */
    private static final RewardVerifier ID = (p, c) -> c[0];

    private static TabularPolicy base() {
        return TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.4, 0.3, 0.3, 0.0});
    }

    /** Adam without weight decay, so that a zero gradient leaves the weights exactly as they are. */
    private static TrainerConfig.Builder config(double beta) {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(6).beta(beta).build())
                .optimizer(OptimizerConfig.adam().toBuilder().learningRate(0.1).build())
                .promptsPerStep(2).steps(3).seed(11);
    }

    // ------------------------------------------------------------------------------------------- reference sync

    /**
     * With refSyncEvery = 3 and α = 0.3, after steps 3 and 6 (and only then) the reference becomes
     * 0.3·policy + 0.7·reference, with the policy as it is at the end of that step; at every other step it is
     * unchanged bit for bit.
     */
    @Test
    void theReferenceIsMixedTowardsThePolicyEveryKStepsAndOnlyThen() {
        double alpha = 0.3;
        TabularPolicy policy = base();
        TrainerConfig c = config(0.1).refSyncEvery(3).refSyncAlpha(alpha).steps(7).build();
        List<double[][]> policies = new ArrayList<>();
        List<double[][]> references = new ArrayList<>();
        try (GrpoTrainer trainer = new GrpoTrainer(c, policy, ID, PROMPTS)) {
            TabularPolicy reference = (TabularPolicy) trainer.reference();
            assertArrayEquals(policy.logitTable(), reference.logitTable(), "the reference starts as the policy");
            references.add(reference.logitTable());
            policies.add(policy.logitTable());
            trainer.addListener(m -> {
                policies.add(policy.logitTable());
                references.add(reference.logitTable());
            });
            trainer.train();
        }
        for (int k = 1; k <= 7; k++) {
            double[][] before = references.get(k - 1);
            double[][] after = references.get(k);
            if (k % 3 != 0) {
                assertArrayEquals(before, after, "step " + k + " must not touch the reference");
                continue;
            }
            assertFalse(Arrays.deepEquals(before, after), "step " + k + " synced");
            double[][] pol = policies.get(k);
            for (int x = 0; x < pol.length; x++) {
                for (int y = 0; y < pol[x].length; y++) {
                    double expected = alpha * pol[x][y] + (1 - alpha) * before[x][y];
                    if (pol[x][y] == Double.NEGATIVE_INFINITY) {
                        assertEquals(Double.NEGATIVE_INFINITY, after[x][y]);
                    } else {
                        assertEquals(expected, after[x][y], 1e-15 * (1 + Math.abs(expected)),
                                "step " + k + ", logit [" + x + ", " + y + "]");
                        assertTrue(Math.abs(after[x][y] - pol[x][y]) < Math.abs(before[x][y] - pol[x][y])
                                || before[x][y] == pol[x][y], "moved towards the policy");
                    }
                }
            }
        }
    }

    /**
     * α = 1 copies the policy into the reference; the next step's first update then sees logpRef = logpNew, so its
     * KL is exactly 0 (μ = 1, one mini-batch: one update per step), while steps after a step without sync see a
     * positive KL. Steps 1, 3, 5 follow the start or a sync (refSyncEvery = 2); steps 2, 4, 6 do not.
     */
    @Test
    void aFullSyncMakesTheReferenceThePolicyThatTheNextStepsKlIsMeasuredAgainst() {
        TabularPolicy policy = base();
        TrainerConfig c = config(0.1).refSyncEvery(2).refSyncAlpha(1.0).steps(6)
                .optimizer(OptimizerConfig.adam().toBuilder().learningRate(0.3).build()).build();
        List<StepMetrics> steps;
        try (GrpoTrainer trainer = new GrpoTrainer(c, policy, ID, PROMPTS)) {
            TabularPolicy reference = (TabularPolicy) trainer.reference();
            List<Boolean> equalAfterStep = new ArrayList<>();
            trainer.addListener(m -> equalAfterStep.add(Arrays.deepEquals(policy.logitTable(), reference.logitTable())));
            steps = trainer.train();
            assertEquals(List.of(false, true, false, true, false, true), equalAfterStep);
        }
        for (StepMetrics m : steps) {
            if (m.step() % 2 == 1) {
                assertEquals(0.0, m.get("kl"), 0, "step " + m.step() + " starts with reference = policy");
            } else {
                assertTrue(m.get("kl") > 0, "step " + m.step() + ": kl " + m.get("kl"));
            }
        }
    }

    // ------------------------------------------------------------------------------------------- maskTruncated

    /**
     * A policy whose every completion is cut at {@code maxNewTokens}: with maskTruncated every token is out of the
     * loss, so the gradient is 0 and the weights (Adam, no decay) stay exactly as they were, KL term included;
     * without it the same run trains.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1})
    void maskingTruncatedCompletionsThatAreAllTruncatedLeavesThePolicyUnchanged(double beta) {
        for (boolean mask : new boolean[] {true, false}) {
            ScriptedPolicy policy = new ScriptedPolicy(base(), null, y -> true);
            double[][] before = policy.table().logitTable();
            RecordingObjective objective = new RecordingObjective();
            TrainerConfig c = config(beta).maskTruncated(mask).groupsPerMiniBatch(1).iterationsPerBatch(2).build();
            List<StepMetrics> steps;
            try (GrpoTrainer trainer = new GrpoTrainer(c, policy, ID, PROMPTS, objective)) {
                steps = trainer.train();
            }
            assertEquals(12, objective.calls.size(), "3 steps × 2 iterations × 2 mini-batches");
            for (StepMetrics m : steps) {
                assertEquals(1.0, m.get("completions/clipped_ratio"));
            }
            if (mask) {
                assertArrayEquals(before, policy.table().logitTable(), "beta " + beta);
                for (RecordingObjective.Call call : objective.calls) {
                    assertEquals(0.0, sum(call.mask()), 0);
                    assertEquals(0.0, sumAbs(call.gradient()), 0);
                }
                for (StepMetrics m : steps) {
                    assertEquals(0.0, m.get("grad_norm"), 0);
                }
            } else {
                assertFalse(Arrays.deepEquals(before, policy.table().logitTable()), "beta " + beta + " trains");
                assertTrue(steps.stream().anyMatch(m -> m.get("grad_norm") > 0));
            }
        }
    }

    /**
     * Only completions of output 2 are cut: with maskTruncated exactly their rows have mask 0 and gradient 0, the
     * others mask 1; the rewards of masked completions still enter the group's advantages (DAPO masks the loss
     * only), so the advantages equal those of the unmasked run.
     */
    @Test
    void maskingTruncatedCompletionsMasksExactlyThoseRows() {
        ScriptedPolicy policy = new ScriptedPolicy(base(), null, y -> y == 2);
        RecordingObjective objective = new RecordingObjective();
        TrainerConfig c = config(0.1).maskTruncated(true).groupsPerMiniBatch(1).iterationsPerBatch(2).build();
        try (GrpoTrainer trainer = new GrpoTrainer(c, policy, ID, PROMPTS, objective)) {
            trainer.train();
        }
        // forward passes: per step one over the whole batch (old log-probs), then one per mini-batch update
        assertEquals(3 * 5, policy.forwards.size());
        int masked = 0;
        int kept = 0;
        for (int k = 0; k < objective.calls.size(); k++) {
            RecordingObjective.Call call = objective.calls.get(k);
            SequenceBatch mini = policy.forwards.get(k + 1 + k / 4);
            for (int i = 0; i < mini.size(); i++) {
                boolean cut = mini.completions().get(i)[0] == 2;
                assertEquals(cut ? 0.0 : 1.0, call.mask()[i][0], "call " + k + ", row " + i);
                if (cut) {
                    assertEquals(0.0, call.gradient()[i][0], 0);
                    masked++;
                } else {
                    kept++;
                }
            }
        }
        assertTrue(masked > 0 && kept > 0, "both kinds occurred: " + masked + " masked, " + kept + " kept");

        RecordingObjective unmasked = new RecordingObjective();
        try (GrpoTrainer trainer = new GrpoTrainer(c.toBuilder().maskTruncated(false).build(),
                new ScriptedPolicy(base(), null, y -> y == 2), ID, PROMPTS, unmasked)) {
            trainer.step();
        }
        for (int k = 0; k < 4; k++) {                       // step 1: same samples, advantages before any update
            assertArrayEquals(unmasked.calls.get(k).advantages(), objective.calls.get(k).advantages(), 0);
        }
    }

    // ------------------------------------------------------------------------------------------- μ and mini-batches

    /**
     * μ = 3 iterations over 2 mini-batches of one group: the old log-probabilities come from one forward pass over
     * the whole batch before any update and are the pre-step policy's for every one of the 6 updates; the advantages
     * are the same in every iteration; each iteration visits each group once as a whole group; the first update is
     * on-policy (ratio exactly 1), later ones are not, and with a large step the clip metrics are positive.
     */
    @Test
    void oldLogProbabilitiesAreTakenOncePerBatchAndLaterIterationsAreOffPolicy() {
        ScriptedPolicy policy = new ScriptedPolicy(base(), null, y -> false);
        RecordingObjective objective = new RecordingObjective();
        TrainerConfig c = config(0.0).iterationsPerBatch(3).groupsPerMiniBatch(1).steps(1)
                .optimizer(OptimizerConfig.adam().toBuilder().learningRate(1.0).build()).build();
        TabularPolicy before = policy.table().copy();
        StepMetrics m;
        try (GrpoTrainer trainer = new GrpoTrainer(c, policy, ID, PROMPTS, objective)) {
            m = trainer.step();
        }
        int g = 6;
        assertEquals(1 + 3 * 2, policy.forwards.size(), "one pass for the old log-probs, one per update");
        SequenceBatch full = policy.forwards.get(0);
        assertEquals(2 * g, full.size());
        assertEquals(6, objective.calls.size());
        double[][] firstAdvantages = new double[2][];
        for (int k = 0; k < 6; k++) {
            RecordingObjective.Call call = objective.calls.get(k);
            SequenceBatch mini = policy.forwards.get(k + 1);
            assertEquals(g, mini.size());
            assertNotNull(call.logpOld(), "update " + k + " has old log-probs");
            assertArrayEquals(before.logProbs(mini).toDoubleMatrix(), call.logpOld(),
                    "update " + k + ": old log-probs are the pre-step policy's");
            int group = groupOf(full, mini, g);
            if (firstAdvantages[group] == null) {
                firstAdvantages[group] = call.advantages();
                assertTrue(Arrays.stream(call.advantages()).anyMatch(a -> a != 0), "group " + group + " not flat");
            } else {
                assertArrayEquals(firstAdvantages[group], call.advantages(), 0, "advantages once per batch");
            }
            if (k % 2 == 1) {
                assertTrue(group != groupOf(full, policy.forwards.get(k), g), "iteration " + k / 2
                        + " visits both groups");
            }
            if (k == 0) {
                assertArrayEquals(call.logpOld(), call.logpNew(), "the first update is on-policy");
                assertEquals(1.0, call.metrics().meanRatio(), 0);
            } else if (k >= 2) {
                assertFalse(Arrays.deepEquals(call.logpOld(), call.logpNew()), "update " + k + " is off-policy");
            }
        }
        assertTrue(m.get("clip_ratio/region_mean") > 0, "a step of 1 moves ratios past 1 ± 0.2: " + m.values());
        assertEquals(m.get("clip_ratio/region_mean"), objective.calls.stream()
                .mapToDouble(x -> x.metrics().clipFractionRegion()).sum() / 6, 1e-12, "mean over the updates");
    }

    /**
     * μ = 1 with several mini-batches still needs old log-probabilities (the second mini-batch is sampled by the
     * policy before the first update); μ = 1 with one mini-batch skips them: exactly on-policy, nothing clipped.
     */
    @Test
    void oneIterationNeedsOldLogProbabilitiesOnlyWithSeveralMiniBatches() {
        ScriptedPolicy split = new ScriptedPolicy(base(), null, y -> false);
        RecordingObjective splitObjective = new RecordingObjective();
        TabularPolicy before = split.table().copy();
        try (GrpoTrainer trainer = new GrpoTrainer(config(0.0).groupsPerMiniBatch(1).steps(1).build(), split, ID,
                PROMPTS, splitObjective)) {
            trainer.step();
        }
        assertEquals(3, split.forwards.size());
        assertEquals(2, splitObjective.calls.size());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(before.logProbs(split.forwards.get(k + 1)).toDoubleMatrix(),
                    splitObjective.calls.get(k).logpOld());
        }

        ScriptedPolicy whole = new ScriptedPolicy(base(), null, y -> false);
        RecordingObjective wholeObjective = new RecordingObjective();
        StepMetrics m;
        try (GrpoTrainer trainer = new GrpoTrainer(config(0.0).steps(1)
                .optimizer(OptimizerConfig.adam().toBuilder().learningRate(1.0).build()).build(), whole, ID, PROMPTS,
                wholeObjective)) {
            m = trainer.step();
        }
        assertEquals(1, whole.forwards.size(), "no separate pass for old log-probs");
        assertEquals(1, wholeObjective.calls.size());
        assertNull(wholeObjective.calls.get(0).logpOld());
        assertEquals(0.0, m.get("clip_ratio/region_mean"), 0);
        assertEquals(0.0, m.get("clip_ratio/low_mean"), 0);
        assertEquals(0.0, m.get("clip_ratio/high_mean"), 0);
    }

    /** The group of the whole batch a mini-batch of one group is, checked to be a whole group in order. */
    private static int groupOf(SequenceBatch full, SequenceBatch mini, int g) {
        for (int q = 0; q < full.size() / g; q++) {
            if (Arrays.equals(full.prompts().get(q * g), mini.prompts().get(0))) {
                for (int k = 0; k < g; k++) {
                    assertArrayEquals(full.prompts().get(q * g + k), mini.prompts().get(k));
                    assertArrayEquals(full.completions().get(q * g + k), mini.completions().get(k));
                }
                return q;
            }
        }
        throw new AssertionError("mini-batch prompt " + Arrays.toString(mini.prompts().get(0)) + " not in the batch");
    }

    // ------------------------------------------------------------------------------------------- dynamic sampling

    /** Prompt row 0 always answers 0 (a flat group); row 1 alternates 0, 1 (never flat). */
    private static final ScriptedPolicy.Script FLAT_AND_VARIED = (row, index, call) -> row == 0 ? 0 : index % 2;

    /**
     * With dynamic sampling the flat group is dropped in every round but the last: 1 + maxExtraSamplingRounds
     * rounds and maxExtraSamplingRounds dropped groups per step, in the metrics every listener gets; without it,
     * or without extra rounds, one round and nothing dropped.
     */
    @Test
    void dynamicSamplingRoundsAndDroppedGroupsReachTheListeners() {
        assertSamplingMetrics(true, 2, FLAT_AND_VARIED, 3, 2, 0.5);
        assertSamplingMetrics(true, 0, FLAT_AND_VARIED, 1, 0, 0.5);
        assertSamplingMetrics(false, 2, FLAT_AND_VARIED, 1, 0, 0.5);
        // row 0 is flat only in the policy's first sample call: step 1 takes 2 rounds, the later steps 1
        ScriptedPolicy.Script flatOnce = (row, index, call) -> row == 0 && call == 1 ? 0 : index % 2;
        List<StepMetrics> seen = run(true, 3, flatOnce);
        assertEquals(2.0, seen.get(0).get("sampling/rounds"));
        assertEquals(1.0, seen.get(0).get("sampling/dropped_groups"));
        assertEquals(0.0, seen.get(0).get("frac_reward_zero_std"));
        for (StepMetrics m : seen.subList(1, seen.size())) {
            assertEquals(1.0, m.get("sampling/rounds"));
            assertEquals(0.0, m.get("sampling/dropped_groups"));
        }
    }

    private static void assertSamplingMetrics(boolean dynamic, int extra, ScriptedPolicy.Script script, int rounds,
                                              int dropped, double fracZeroStd) {
        List<StepMetrics> seen = run(dynamic, extra, script);
        assertEquals(3, seen.size());
        for (StepMetrics m : seen) {
            String what = "dynamic " + dynamic + ", extra rounds " + extra + ", step " + m.step();
            assertEquals(rounds, m.get("sampling/rounds"), what);
            assertEquals(dropped, m.get("sampling/dropped_groups"), what);
            assertEquals(fracZeroStd, m.get("frac_reward_zero_std"), what);
        }
    }

    private static List<StepMetrics> run(boolean dynamic, int extra, ScriptedPolicy.Script script) {
        ScriptedPolicy policy = new ScriptedPolicy(base(), script, y -> false);
        List<StepMetrics> seen = new ArrayList<>();
        List<StepMetrics> returned;
        TrainerConfig c = config(0.0).dynamicSampling(dynamic).maxExtraSamplingRounds(extra).build();
        try (GrpoTrainer trainer = new GrpoTrainer(c, policy, ID, PROMPTS)) {
            trainer.addListener(seen::add);
            returned = trainer.train();
        }
        assertEquals(returned, seen, "listeners get the returned metrics");
        Set<Integer> steps = new HashSet<>();
        seen.forEach(m -> steps.add(m.step()));
        assertEquals(Set.of(1, 2, 3), steps);
        return seen;
    }

    private static double sum(double[][] a) {
        return Arrays.stream(a).flatMapToDouble(Arrays::stream).sum();
    }

    private static double sumAbs(double[][] a) {
        return Arrays.stream(a).flatMapToDouble(Arrays::stream).map(Math::abs).sum();
    }
}
