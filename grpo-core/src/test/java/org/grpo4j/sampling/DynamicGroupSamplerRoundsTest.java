package org.grpo4j.sampling;

import static org.grpo4j.sampling.IndependentGroupSamplerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.GroupSampler;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.SamplingConfig;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.verify.FailurePolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierRunner;
import org.junit.jupiter.api.Test;

/**
 * {@link DynamicGroupSampler}'s round budget and bookkeeping with scripted policies whose groups are flat exactly
 * when the script says: the counts, the order, the rewards and the randomness used.
 */
class DynamicGroupSamplerRoundsTest {
    private static final SamplingConfig PLAIN = SamplingConfig.defaults();
    private static final int G = 4;
    /** The reward is the token. */
    private static final RewardVerifier TOKEN = (p, c) -> c[0];
    private static final List<Prompt> ABC = List.of(Prompt.of("A", 1), Prompt.of("B", 2), Prompt.of("C", 3));

    /**
     * The token {@code 100·prompt + 10·call + (k mod 2 if varied)}: it names the prompt and the round, and a group is
     * flat unless the script varies it.
     */
    private static int token(int prompt, int index, int call, boolean varied) {
        return 100 * prompt + 10 * call + (varied ? index % 2 : 0);
    }

    /**
     * Every group always flat: for each budget m exactly m + 1 rounds, each asking all B prompts in order, B·m groups
     * dropped, and the groups of the last round kept.
     */
    @Test
    void alwaysFlatGroupsUseExactlyTheBudget() {
        for (int m = 0; m <= 4; m++) {
            ScriptedSamplingPolicy policy = new ScriptedSamplingPolicy((p, i, call) -> token(p, i, call, false));
            try (VerifierRunner scorer = new VerifierRunner(TOKEN, VerifierConfig.defaults())) {
                GroupBatch b = new DynamicGroupSampler(new IndependentGroupSampler(), scorer, m)
                        .sample(policy, ABC, G, PLAIN, new SplittableRandom(1));
                assertEquals(m + 1, policy.calls.size(), "budget " + m);
                for (List<Integer> call : policy.calls) {
                    assertEquals(List.of(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3), call);
                }
                assertEquals(m + 1, b.samplingRounds());
                assertEquals(3 * m, b.droppedGroups());
                for (int i = 0; i < b.size(); i++) {
                    assertEquals(token(i / G + 1, 0, m + 1, false), b.completions().get(i).tokens()[0],
                            "completion " + i + " is from the last round");
                }
            }
        }
    }

    /**
     * A is flat in rounds 1–2, B never, C in round 1 only, with a budget of 5: round 1 asks A, B, C and keeps B;
     * round 2 asks A, C and keeps C; round 3 asks A and keeps it; no further round. The batch is group-major in the
     * original prompt order, each slot holding its own round's group, with rewards aligned to the completions.
     */
    @Test
    void refillRoundsAskOnlyThePendingPromptsAndTheBatchKeepsThePromptOrder() {
        ScriptedSamplingPolicy policy = new ScriptedSamplingPolicy((p, i, call) ->
                token(p, i, call, p == 2 || (p == 3 && call >= 2) || (p == 1 && call >= 3)));
        GroupBatch b;
        try (VerifierRunner scorer = new VerifierRunner(TOKEN, VerifierConfig.defaults())) {
            b = new DynamicGroupSampler(new IndependentGroupSampler(), scorer, 5)
                    .sample(policy, ABC, G, PLAIN, new SplittableRandom(1));
        }
        assertEquals(List.of(List.of(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3), List.of(1, 1, 1, 1, 3, 3, 3, 3),
                List.of(1, 1, 1, 1)), policy.calls);
        assertEquals(3, b.samplingRounds());
        assertEquals(3, b.droppedGroups(), "A twice, C once");
        assertEquals(ABC, b.prompts());
        int[] roundOfSlot = {3, 1, 2};
        double[] rewards = b.rewards().total();
        for (int i = 0; i < b.size(); i++) {
            int slot = i / G;
            int y = b.completions().get(i).tokens()[0];
            assertEquals(slot + 1, y / 100, "completion " + i + " belongs to prompt " + ABC.get(slot).id());
            assertEquals(roundOfSlot[slot], y / 10 % 10, "completion " + i + " comes from its slot's round");
            assertEquals(y, rewards[i], 0, "reward " + i + " is its completion's");
            assertEquals(ABC.get(slot), b.promptOf(i));
        }
        assertEquals(0.0, org.grpo4j.objective.Advantages.fractionOfZeroStdGroups(rewards, G), 0);
    }

    /** Each verifier's scores follow their completions into the batch, as the total does. */
    @Test
    void perVerifierRewardsStayAlignedAfterRefills() {
        ScriptedSamplingPolicy policy = new ScriptedSamplingPolicy((p, i, call) -> token(p, i, call, call >= 2));
        RewardVerifier combined = RewardVerifier.combine(new WeightedVerifier("id", 1.0, TOKEN),
                new WeightedVerifier("parity", 2.0, (p, c) -> c[0] % 2));
        GroupBatch b;
        try (VerifierRunner scorer = new VerifierRunner(combined, VerifierConfig.defaults())) {
            b = new DynamicGroupSampler(new IndependentGroupSampler(), scorer, 2)
                    .sample(policy, ABC, G, PLAIN, new SplittableRandom(1));
        }
        assertEquals(2, b.samplingRounds());
        Rewards r = b.rewards();
        for (int i = 0; i < b.size(); i++) {
            int y = b.completions().get(i).tokens()[0];
            assertEquals(y, r.byVerifier().get("id")[i], 0);
            assertEquals(y % 2, r.byVerifier().get("parity")[i], 0);
            assertEquals(y + 2.0 * (y % 2), r.total()[i], 0);
        }
    }

    /** Verifier failures scored under FailurePolicy.SCORE are counted in every round, dropped ones included. */
    @Test
    void failuresOfEveryRoundAreCounted() {
        ScriptedSamplingPolicy policy = new ScriptedSamplingPolicy((p, i, call) -> p == 1 ? 0 : token(p, i, call, true));
        RewardVerifier throwsOnZero = (p, c) -> {
            if (c[0] == 0) {
                throw new IllegalStateException("cannot score 0");
            }
            return c[0];
        };
        VerifierConfig scoring = new VerifierConfig(2, Duration.ofSeconds(30), FailurePolicy.SCORE, -1);
        GroupBatch b;
        try (VerifierRunner scorer = new VerifierRunner(throwsOnZero, scoring)) {
            b = new DynamicGroupSampler(new IndependentGroupSampler(), scorer, 2)
                    .sample(policy, ABC, G, PLAIN, new SplittableRandom(1));
        }
        assertEquals(3, b.samplingRounds(), "A's group always scores -1 for every completion: flat");
        assertEquals(2, b.droppedGroups());
        assertEquals(3 * G, b.rewards().failures(), "G failures in each of the 3 rounds");
        assertEquals(0, b.rewards().timeouts());
        for (int k = 0; k < G; k++) {
            assertEquals(-1.0, b.rewards().total()[k], 0);
        }
    }

    /** An inner sampler that scores its own batches is trusted: the verifier is not called again. */
    @Test
    void anAlreadyScoredRoundIsNotScoredAgain() {
        GroupSampler scoredInner = (policy, prompts, g, sampling, rng) -> {
            List<Completion> cs = new ArrayList<>();
            double[] total = new double[prompts.size() * g];
            for (int i = 0; i < total.length; i++) {
                cs.add(new Completion(new int[] {0}, new float[] {0f}, false));
                total[i] = i % 2;
            }
            return new GroupBatch(prompts, g, cs, 1, 0, new Rewards(total, java.util.Map.of(), 0, 0));
        };
        RewardVerifier never = (p, c) -> {
            throw new AssertionError("scored twice");
        };
        try (VerifierRunner scorer = new VerifierRunner(never, VerifierConfig.defaults())) {
            GroupBatch b = new DynamicGroupSampler(scoredInner, scorer, 3)
                    .sample(TabularPolicy.uniform(4, 2), ABC, G, PLAIN, new SplittableRandom(1));
            assertEquals(1, b.samplingRounds());
            assertArrayEquals(new double[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, b.rewards().total(), 0);
        }
    }

    /**
     * With a random policy: the same seed gives the same batch (refills included), another seed another batch, and
     * the generator ends where the tabular policy's draws alone leave it (one variate per sequence asked).
     */
    @Test
    void theGeneratorIsTheOnlySourceOfRandomness() {
        // prompt 1 is flat whatever is drawn (one output); prompts 2 and 3 are fair coins, flat with probability 1/8
        TabularPolicy policy = TabularPolicy.ofLogits(List.of(new int[] {1}, new int[] {2}, new int[] {3}),
                new double[][] {{0, Double.NEGATIVE_INFINITY}, {0, 0}, {0, 0}}, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        try (VerifierRunner scorer = new VerifierRunner(TOKEN, VerifierConfig.defaults())) {
            List<Integer> asked = new ArrayList<>();
            GroupSampler counting = (p, prompts, g, s, rng) -> {
                asked.add(prompts.size() * g);
                return new IndependentGroupSampler().sample(p, prompts, g, s, rng);
            };
            DynamicGroupSampler d = new DynamicGroupSampler(counting, scorer, 3);
            SplittableRandom rng = new SplittableRandom(2024);
            GroupBatch first = d.sample(policy, ABC, G, PLAIN, rng);
            int sequences = asked.stream().mapToInt(Integer::intValue).sum();
            assertEquals(4, first.samplingRounds(), "prompt 1 uses the whole budget");
            GroupBatch again = d.sample(policy, ABC, G, PLAIN, new SplittableRandom(2024));
            assertEquals(first.completions(), again.completions());
            assertEquals(first.droppedGroups(), again.droppedGroups());
            assertArrayEquals(first.rewards().total(), again.rewards().total(), 0);
            GroupBatch other = d.sample(policy, ABC, G, PLAIN, new SplittableRandom(2025));
            assertFalse(first.completions().equals(other.completions()));

            SplittableRandom advanced = new SplittableRandom(2024);
            for (int i = 0; i < sequences; i++) {
                advanced.nextDouble();
            }
            assertEquals(advanced.nextLong(), rng.nextLong(), sequences + " variates, all the policy's");
        }
    }

    @Test
    void badArgumentsAreRejectedByName() {
        try (VerifierRunner scorer = new VerifierRunner(TOKEN, VerifierConfig.defaults())) {
            IndependentGroupSampler inner = new IndependentGroupSampler();
            assertMessage(() -> new DynamicGroupSampler(null, scorer, 1), "inner", "null");
            assertMessage(() -> new DynamicGroupSampler(inner, null, 1), "scorer", "null");
            assertMessage(() -> new DynamicGroupSampler(inner, scorer, -1), "maxExtraRounds", "≥ 0", "-1");
            DynamicGroupSampler d = new DynamicGroupSampler(inner, scorer, 1);
            TabularPolicy policy = TabularPolicy.ofLogits(List.of(new int[] {1}, new int[] {2}, new int[] {3}),
                    new double[][] {{0, 0}, {0, 0}, {0, 0}}, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            SplittableRandom rng = new SplittableRandom(1);
            assertMessage(() -> d.sample(policy, null, G, PLAIN, rng), "prompts", "null");
            assertMessage(() -> d.sample(policy, List.of(), G, PLAIN, rng), "prompts", "empty");
            assertMessage(() -> d.sample(policy, ABC, 1, PLAIN, rng), "groupSize", "1");
            assertMessage(() -> d.sample(null, ABC, G, PLAIN, rng), "policy", "null");
            assertMessage(() -> d.sample(policy, ABC, G, null, rng), "sampling", "null");
            assertMessage(() -> d.sample(policy, ABC, G, PLAIN, null), "rng", "null");
        }
    }
}
