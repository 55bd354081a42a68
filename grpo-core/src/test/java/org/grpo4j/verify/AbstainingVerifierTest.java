package org.grpo4j.verify;

import static org.grpo4j.verify.ScoringInputs.P;
import static org.grpo4j.verify.ScoringInputs.completions;
import static org.grpo4j.verify.ScoringInputs.prompts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.grpo4j.CombinedVerifier;
import org.grpo4j.GroupBatch;
import org.grpo4j.PartialBatchRewardVerifier;
import org.grpo4j.PartialRewardVerifier;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.SamplingConfig;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.sampling.DynamicGroupSampler;
import org.grpo4j.sampling.IndependentGroupSampler;
import org.junit.jupiter.api.Test;

/** A {@link PartialRewardVerifier}'s abstentions: recorded, left out of the total, never a 0 score in disguise. */
class AbstainingVerifierTest {
    /** Scores completion c as c, abstains on odd c. */
    private static final PartialRewardVerifier EVEN_ONLY = (p, c) -> c[0] % 2 == 0 ? OptionalDouble.of(c[0])
            : OptionalDouble.empty();

    /**
     * Completions 0..3; "even" (weight 2) abstains on 1 and 3, "one" (weight 0.5) scores 1 everywhere: totals
     * 2·0 + 0.5 = 0.5, 0.5 (even abstains), 2·2 + 0.5 = 4.5, 0.5.
     */
    @Test
    void abstentionsAreRecordedAndLeftOutOfTheTotal() {
        RewardVerifier one = (p, c) -> 1;
        try (VerifierRunner r = new VerifierRunner(RewardVerifier.combine(new WeightedVerifier("even", 2, EVEN_ONLY),
                new WeightedVerifier("one", 0.5, one)), VerifierConfig.defaults())) {
            Rewards rw = r.score(prompts(4), completions(4));
            assertArrayEquals(new double[] {0.5, 0.5, 4.5, 0.5}, rw.total(), 0);
            assertArrayEquals(new boolean[] {false, true, false, true}, rw.abstained().get("even"));
            assertFalse(rw.abstained().containsKey("one"), "a verifier that never abstained has no entry");
            assertEquals(OptionalDouble.empty(), rw.score("even", 1));
            assertEquals(OptionalDouble.of(2), rw.score("even", 2));
            assertEquals(OptionalDouble.of(1), rw.score("one", 1));
            assertEquals(2, rw.abstentions());
            assertEquals(0, rw.allAbstained());
            assertEquals(0, rw.failures());
            Rewards tail = rw.slice(1, 3);
            assertArrayEquals(new boolean[] {true, false}, tail.abstained().get("even"));
        }
    }

    /** Every verifier abstaining: total 0 (TRL's nansum of an all-NaN row), counted in allAbstained. */
    @Test
    void allAbstainingGivesZero() {
        try (VerifierRunner r = new VerifierRunner(PartialRewardVerifier.named("even", EVEN_ONLY),
                VerifierConfig.defaults())) {
            Rewards rw = r.score(prompts(3), completions(3));
            assertArrayEquals(new double[] {0, 0, 2}, rw.total(), 0);
            assertEquals(1, rw.allAbstained());
            assertTrue(rw.abstained("even", 1));
        }
    }

    /** A throwing partial verifier is a failure under the failure policy, not an abstention. */
    @Test
    void aFailureIsNotAnAbstention() {
        PartialRewardVerifier boom = (p, c) -> {
            throw new IllegalStateException("broken");
        };
        try (VerifierRunner r = new VerifierRunner(boom, VerifierConfig.defaults().scoringFailuresAs(-1))) {
            Rewards rw = r.score(prompts(2), completions(2));
            assertArrayEquals(new double[] {-1, -1}, rw.total(), 0);
            assertEquals(2, rw.failures());
            assertEquals(0, rw.abstentions());
        }
        PartialRewardVerifier nullResult = (p, c) -> null;
        try (VerifierRunner r = new VerifierRunner(nullResult, VerifierConfig.defaults())) {
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(prompts(1), completions(1)));
            assertTrue(e.getMessage().contains("OptionalDouble.empty()"), e.getMessage());
        }
    }

    /** Outside a runner, score() cannot say "no score" and throws; the combination's score() is a nansum. */
    @Test
    void directCallsAndCombinations() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EVEN_ONLY.score(P, new int[] {1}));
        assertTrue(e.getMessage().contains("abstained on prompt 'p7'"), e.getMessage());
        assertEquals(2, EVEN_ONLY.score(P, new int[] {2}));
        CombinedVerifier c = RewardVerifier.combine(new WeightedVerifier("even", 3, EVEN_ONLY),
                new WeightedVerifier("const", 1, (p, x) -> 0.25));
        assertEquals(0.25, c.score(P, new int[] {1}));
        assertEquals(6.25, c.score(P, new int[] {2}));
        assertEquals(0, RewardVerifier.combine(new WeightedVerifier("even", 3, EVEN_ONLY)).score(P, new int[] {1}));
        RewardVerifier named = new WeightedVerifier("renamed", 2, EVEN_ONLY).asVerifier();
        assertTrue(named instanceof PartialRewardVerifier, "naming keeps the ability to abstain");
        assertEquals("renamed", named.name());
    }

    /** A batch verifier abstains per completion of a call; a wrong-sized or null answer is a failure. */
    @Test
    void aBatchVerifierAbstainsPerCompletion() throws Exception {
        PartialBatchRewardVerifier batch = new PartialBatchRewardVerifier() {
            @Override
            public List<OptionalDouble> scoreBatchIfApplicable(List<Prompt> prompts, List<int[]> completions) {
                List<OptionalDouble> out = new java.util.ArrayList<>();
                for (int[] c : completions) {
                    out.add(c[0] % 2 == 0 ? OptionalDouble.of(c[0]) : OptionalDouble.empty());
                }
                return out;
            }

            @Override
            public int maxBatchSize() {
                return 3;
            }
        };
        try (VerifierRunner r = new VerifierRunner(RewardVerifier.combine(new WeightedVerifier("b", 1, batch),
                new WeightedVerifier("one", 1, (p, c) -> 1)), VerifierConfig.defaults())) {
            Rewards rw = r.score(prompts(5), completions(5));
            assertArrayEquals(new double[] {1, 1, 3, 1, 5}, rw.total(), 0);
            assertArrayEquals(new boolean[] {false, true, false, true, false}, rw.abstained().get("b"));
        }
        RewardVerifier named = new WeightedVerifier("renamed", 1, batch).asVerifier();
        assertTrue(named instanceof PartialBatchRewardVerifier, "naming keeps the batch abstention");
        assertEquals(3, ((PartialBatchRewardVerifier) named).maxBatchSize());
        assertThrows(IllegalStateException.class, () -> batch.scoreBatch(List.of(P), List.of(new int[] {1})));
        assertArrayEquals(new double[] {2}, batch.scoreBatch(List.of(P), List.of(new int[] {2})), 0);
        assertEquals(0.0, RewardVerifier.combine(new WeightedVerifier("b", 1, batch)).score(P, new int[] {1}));
        PartialBatchRewardVerifier wrongSize = (ps, cs) -> List.of();
        try (VerifierRunner r = new VerifierRunner(wrongSize, VerifierConfig.defaults())) {
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(prompts(2), completions(2)));
            assertTrue(e.getMessage().contains("returned 0 scores for 2 completions"), e.getMessage());
        }
    }

    @Test
    void rewardsRejectInconsistentAbstentions() {
        Map<String, double[]> by = Map.of("a", new double[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Rewards(new double[] {1, 2}, by, 0, 0, 0, Map.of("b", new boolean[2])));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Rewards(new double[] {1, 2}, by, 0, 0, 0, Map.of("a", new boolean[3])));
        assertEquals("abstained['a'] length (3) must equal total length (2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Rewards(new double[] {1, 2}, by, 0, 0, 0, null));
        Rewards ok = new Rewards(new double[] {1, 2}, by, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> ok.abstained("z", 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ok.abstained("a", 2));
    }

    /** Dynamic sampling keeps each kept group's abstentions in the batch it assembles. */
    @Test
    void dynamicSamplingCarriesAbstentions() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.25, 0.25, 0.25, 0.25});
        try (VerifierRunner r = new VerifierRunner(PartialRewardVerifier.named("even", EVEN_ONLY),
                VerifierConfig.defaults())) {
            DynamicGroupSampler dynamic = new DynamicGroupSampler(new IndependentGroupSampler(), r, 3);
            GroupBatch b = dynamic.sample(policy, List.of(Prompt.of("x", 0), Prompt.of("y", 0)), 4,
                    SamplingConfig.defaults().withMaxNewTokens(1), new SplittableRandom(3));
            Rewards rw = b.scored().orElseThrow();
            for (int i = 0; i < b.size(); i++) {
                int c = b.completions().get(i).tokens()[0];
                assertEquals(c % 2 == 1, rw.abstained("even", i), "completion " + i + " = " + c);
            }
        }
    }
}
