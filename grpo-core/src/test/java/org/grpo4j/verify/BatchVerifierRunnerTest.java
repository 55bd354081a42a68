package org.grpo4j.verify;

import static org.grpo4j.verify.ScoringInputs.completions;
import static org.grpo4j.verify.ScoringInputs.distinctPrompts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.grpo4j.BatchRewardVerifier;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.WeightedVerifier;
import org.junit.jupiter.api.Test;

/** {@link VerifierRunner} with {@link BatchRewardVerifier}s: batches of the declared size, in order; failures. */
class BatchVerifierRunnerTest {

    /** Scores a completion by its token; records the batches it got. */
    private static final class Recording implements BatchRewardVerifier {
        final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

        @Override
        public double[] scoreBatch(List<Prompt> prompts, List<int[]> completions) {
            List<Integer> tokens = new ArrayList<>();
            double[] r = new double[completions.size()];
            for (int i = 0; i < r.length; i++) {
                tokens.add(completions.get(i)[0]);
                r[i] = completions.get(i)[0] * 10 + Integer.parseInt(prompts.get(i).id().substring(1));
            }
            batches.add(tokens);
            return r;
        }

        @Override
        public int maxBatchSize() {
            return 3;
        }
    }

    @Test
    void completionsGoInOrderedBatchesOfTheDeclaredSizeAlsoWhenNamedOrCombined() {
        Recording v = new Recording();
        RewardVerifier named = RewardVerifier.named("batch", v);
        assertTrue(named instanceof BatchRewardVerifier b && b.maxBatchSize() == 3, "named keeps the batch form");
        try (VerifierRunner r = new VerifierRunner(RewardVerifier.combine(new WeightedVerifier("batch", 2.0, named),
                new WeightedVerifier("one", 1.0, (p, c) -> 1)), VerifierConfig.defaults())) {
            Rewards rw = r.score(distinctPrompts(7), completions(7));
            assertArrayEquals(new double[] {0, 11, 22, 33, 44, 55, 66}, rw.byVerifier().get("batch"), 0);
            assertArrayEquals(new double[] {1, 23, 45, 67, 89, 111, 133}, rw.total(), 0);
        }
        List<List<Integer>> sorted = new ArrayList<>(v.batches);
        sorted.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6)), sorted);
    }

    @Test
    void aBatchWithTheWrongNumberOfRewardsIsAFailureOfTheWholeBatch() {
        BatchRewardVerifier shortBy1 = (ps, cs) -> new double[cs.size() - 1];
        try (VerifierRunner r = new VerifierRunner(RewardVerifier.named("short", shortBy1),
                VerifierConfig.defaults())) {
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(distinctPrompts(3), completions(3)));
            assertEquals("verifier 'short' threw java.lang.IllegalStateException: scoreBatch returned 2 rewards for 3 "
                    + "completions on completions 0 to 2 of the batch (the first: prompt 'p0' [1] with completion [0])",
                    e.getMessage());
        }
        try (VerifierRunner r = new VerifierRunner(shortBy1, VerifierConfig.defaults().scoringFailuresAs(-2))) {
            Rewards rw = r.score(distinctPrompts(3), completions(3));
            assertArrayEquals(new double[] {-2, -2, -2}, rw.total(), 0);
            assertEquals(3, rw.failures());
        }
    }

    @Test
    void aBatchVerifierScoresOneCompletionAsABatchOfOne() throws Exception {
        Recording v = new Recording();
        assertEquals(42, v.score(Prompt.of("p2", 1), new int[] {4}), 0);
        assertEquals(List.of(List.of(4)), v.batches);
    }
}
