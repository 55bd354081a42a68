package org.grpo4j.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.GroupBatch;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link IndependentGroupSampler}: group-major layout, the generator as the only randomness, rejected input. */
class IndependentGroupSamplerTest {
    private static final SamplingConfig PLAIN = SamplingConfig.defaults();
    private static final List<Prompt> PROMPTS = List.of(new Prompt("a", new int[] {0}, new int[] {7}),
            Prompt.of("b", 1), Prompt.of("c", 2));

    /** Row x puts all its mass on output x, so each completion names its prompt. */
    @Test
    void completionGTimesKIsTheKthOfPromptGInOneBatchedCall() {
        ScriptedSamplingPolicy recorder = new ScriptedSamplingPolicy((prompt, index, call) -> 10 * prompt + index);
        GroupBatch b = new IndependentGroupSampler().sample(recorder, PROMPTS, 4, PLAIN, new SplittableRandom(1));
        assertEquals(List.of(List.of(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2)), recorder.calls, "one call, group-major");
        assertEquals(PROMPTS, b.prompts());
        assertEquals(4, b.groupSize());
        for (int i = 0; i < 12; i++) {
            assertEquals(10 * (i / 4) + i, b.completions().get(i).tokens()[0], "completion " + i + " in call order");
            assertEquals(PROMPTS.get(i / 4), b.promptOf(i));
        }
        assertEquals(1, b.samplingRounds());
        assertEquals(0, b.droppedGroups());
        assertTrue(b.scored().isEmpty(), "the independent sampler does not score");

        TabularPolicy oneHot = TabularPolicy.ofProbabilities(new double[] {1, 0, 0}, new double[] {0, 1, 0},
                new double[] {0, 0, 1});
        SequenceBatch s = new IndependentGroupSampler().sample(oneHot, PROMPTS, 3, PLAIN, new SplittableRandom(2))
                .sequences();
        for (int i = 0; i < 9; i++) {
            assertArrayEquals(new int[] {i / 3}, s.prompts().get(i));
            assertArrayEquals(new int[] {i / 3}, s.completions().get(i));
        }
    }

    /**
     * The same seed gives the same batch, another seed another one, and the sampler draws nothing itself: the
     * generator ends where B·G draws of the tabular policy (one variate each) leave it.
     */
    @Test
    void theGeneratorIsTheOnlySourceOfRandomness() {
        TabularPolicy policy = TabularPolicy.uniform(3, 5);
        SplittableRandom rng = new SplittableRandom(99);
        GroupBatch first = new IndependentGroupSampler().sample(policy, PROMPTS, 6, PLAIN, rng);
        GroupBatch again = new IndependentGroupSampler().sample(policy, PROMPTS, 6, PLAIN, new SplittableRandom(99));
        assertEquals(first.completions(), again.completions());
        assertFalse(first.completions().equals(new IndependentGroupSampler().sample(policy, PROMPTS, 6, PLAIN,
                new SplittableRandom(100)).completions()));
        SplittableRandom advanced = new SplittableRandom(99);
        for (int i = 0; i < 18; i++) {
            advanced.nextDouble();
        }
        assertEquals(advanced.nextLong(), rng.nextLong());

        SplittableRandom untouched = new SplittableRandom(5);
        new IndependentGroupSampler().sample(new ScriptedSamplingPolicy((p, i, c) -> 0), PROMPTS, 2, PLAIN, untouched);
        assertEquals(new SplittableRandom(5).nextLong(), untouched.nextLong(), "no draw of the sampler's own");
    }

    @Test
    void badArgumentsAreRejectedByName() {
        IndependentGroupSampler s = new IndependentGroupSampler();
        TabularPolicy policy = TabularPolicy.uniform(3, 2);
        SplittableRandom rng = new SplittableRandom(1);
        assertMessage(() -> s.sample(null, PROMPTS, 2, PLAIN, rng), "policy", "null");
        assertMessage(() -> s.sample(policy, null, 2, PLAIN, rng), "prompts", "null");
        assertMessage(() -> s.sample(policy, List.of(), 2, PLAIN, rng), "prompts", "empty");
        assertMessage(() -> s.sample(policy, PROMPTS, 1, PLAIN, rng), "groupSize", "≥ 2", "1");
        assertMessage(() -> s.sample(policy, PROMPTS, 0, PLAIN, rng), "groupSize", "0");
        assertMessage(() -> s.sample(policy, PROMPTS, 2, null, rng), "sampling", "null");
        assertMessage(() -> s.sample(policy, PROMPTS, 2, PLAIN, null), "rng", "null");
        assertMessage(() -> s.sample(policy, List.of(Prompt.of("z", 9)), 2, PLAIN, rng), "prompt [9]");
    }

    static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        }
    }
}
