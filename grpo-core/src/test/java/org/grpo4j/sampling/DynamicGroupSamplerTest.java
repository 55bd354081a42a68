package org.grpo4j.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierRunner;
import org.junit.jupiter.api.Test;

class DynamicGroupSamplerTest {

    /** Samples one token per completion: prompt token 0 always gives 1 (flat group), else a fair coin. */
    private static final class CoinPolicy implements Policy {

        @Override
        public int vocabularySize() {
            return 2;
        }

        @Override
        public List<Completion> sample(List<int[]> prompts, SamplingConfig sampling, RandomGenerator rng) {
            List<Completion> out = new ArrayList<>();
            for (int[] p : prompts) {
                int y = p[0] == 0 ? 1 : rng.nextInt(2);
                out.add(new Completion(new int[] {y}, new float[] {(float) Math.log(0.5)}, false));
            }
            return out;
        }

        @Override
        public PolicyForward forward(SequenceBatch batch) {
            throw new AssertionError("not used");
        }

        @Override
        public List<Parameter> parameters() {
            return List.of();
        }

        @Override
        public Policy copy() {
            return this;
        }
    }

    @Test
    void flatGroupsAreDroppedAndRefilledWithinTheRoundBudget() {
        CoinPolicy policy = new CoinPolicy();
        // prompt "flat" can never produce a non-flat group; "coin" groups are flat with probability 2^(1-G)
        List<Prompt> prompts = List.of(Prompt.of("flat", 0), Prompt.of("coin", 1), Prompt.of("coin2", 1));
        try (VerifierRunner scorer = new VerifierRunner((p, c) -> c[0], VerifierConfig.defaults())) {
            DynamicGroupSampler d = new DynamicGroupSampler(new IndependentGroupSampler(), scorer, 3);
            GroupBatch b = d.sample(policy, prompts, 4, SamplingConfig.defaults(), new SplittableRandom(7));
            assertEquals(12, b.size());
            assertEquals(4, b.samplingRounds(), "the flat prompt uses every extra round");
            assertTrue(b.droppedGroups() >= 3, "the flat prompt is dropped in each of the 3 extra rounds");
            assertTrue(b.scored().isPresent());
            assertEquals("flat", b.prompts().get(0).id(), "prompt order is kept");
            double[] r = b.rewards().total();
            for (int k = 0; k < 4; k++) {
                assertEquals(1.0, r[k], "the flat group is kept after the last round");
            }
            for (int g = 1; g < 3; g++) {
                boolean varied = false;
                for (int k = 1; k < 4; k++) {
                    varied |= r[g * 4 + k] != r[g * 4];
                }
                assertTrue(varied, "coin groups were refilled until they vary (seeded)");
            }
        }
    }

    @Test
    void noExtraRoundsMeansOneRound() {
        CoinPolicy policy = new CoinPolicy();
        try (VerifierRunner scorer = new VerifierRunner((p, c) -> c[0], VerifierConfig.defaults())) {
            GroupBatch b = new DynamicGroupSampler(new IndependentGroupSampler(), scorer, 0)
                    .sample(policy, List.of(Prompt.of("flat", 0)), 2, SamplingConfig.defaults(), new SplittableRandom(1));
            assertEquals(1, b.samplingRounds());
            assertEquals(0, b.droppedGroups());
        }
    }
}
