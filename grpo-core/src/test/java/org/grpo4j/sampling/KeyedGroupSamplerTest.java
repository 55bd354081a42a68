package org.grpo4j.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyedGroupSampler}: one draw from the step's generator, one call per group with a generator keyed by the
 * prompt's index, so any order or split of the groups reproduces the batch.
 */
class KeyedGroupSamplerTest {
    private static final SamplingConfig PLAIN = SamplingConfig.defaults();
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1), Prompt.of("c", 2),
            Prompt.of("d", 0));

    /** One call per prompt, group-major, and exactly one long drawn from the step's generator. */
    @Test
    void oneCallPerGroupAndOneDrawFromTheStepGenerator() {
        ScriptedSamplingPolicy recorder = new ScriptedSamplingPolicy((prompt, index, call) -> 10 * call + index);
        SplittableRandom rng = new SplittableRandom(3);
        GroupBatch b = new KeyedGroupSampler().sample(recorder, PROMPTS, 3, PLAIN, rng);
        assertEquals(List.of(List.of(0, 0, 0), List.of(1, 1, 1), List.of(2, 2, 2), List.of(0, 0, 0)), recorder.calls);
        assertEquals(PROMPTS, b.prompts());
        for (int i = 0; i < 12; i++) {
            assertEquals(10 * (i / 3 + 1) + i % 3, b.completions().get(i).tokens()[0]);
        }
        SplittableRandom expected = new SplittableRandom(3);
        expected.nextLong();
        assertEquals(expected.nextLong(), rng.nextLong(), "the sampler draws one long, the step key");
        assertTrue(b.scored().isEmpty());
    }

    /**
     * Group i is the policy's answer to G copies of prompt i with the generator SplittableRandom(mix64(key + γ(i+1))),
     * mix64 computed independently as the first output of a SplittableRandom seeded one γ lower; sampling the
     * groups one by one in reverse order, as a distributed sampler's partitions may, gives the same completions.
     */
    @Test
    void everyGroupIsAFunctionOfTheStepKeyAndItsIndexAlone() {
        TabularPolicy policy = TabularPolicy.uniform(3, 50);
        long seed = 11;
        GroupBatch b = new KeyedGroupSampler().sample(policy, PROMPTS, 5, PLAIN, new SplittableRandom(seed));
        long key = new SplittableRandom(seed).nextLong();
        List<List<Completion>> reversed = new ArrayList<>();
        for (int i = PROMPTS.size() - 1; i >= 0; i--) {
            reversed.add(0, KeyedGroupSampler.sampleGroup(policy, PROMPTS.get(i), 5, PLAIN, key, i));
        }
        for (int i = 0; i < PROMPTS.size(); i++) {
            long mixed = new SplittableRandom(key + GOLDEN * (i + 1L) - GOLDEN).nextLong();
            List<int[]> copies = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                copies.add(PROMPTS.get(i).tokens());
            }
            List<Completion> reference = policy.sample(copies, PLAIN, new SplittableRandom(mixed));
            assertEquals(reference, b.completions().subList(5 * i, 5 * i + 5), "group " + i);
            assertEquals(reference, reversed.get(i), "group " + i + " sampled alone");
        }
    }

    /** Prompts 0 and 3 share their tokens but not their draws, and a stream is not its neighbour's shifted by one. */
    @Test
    void promptsGetUnrelatedStreams() {
        SplittableRandom zero = KeyedGroupSampler.promptRandom(42, 0);
        SplittableRandom one = KeyedGroupSampler.promptRandom(42, 1);
        long[] a = {zero.nextLong(), zero.nextLong(), zero.nextLong()};
        long[] c = {one.nextLong(), one.nextLong(), one.nextLong()};
        for (long x : a) {
            for (long y : c) {
                assertNotEquals(x, y);
            }
        }
        TabularPolicy policy = TabularPolicy.uniform(3, 1000);
        GroupBatch b = new KeyedGroupSampler().sample(policy, PROMPTS, 8, PLAIN, new SplittableRandom(5));
        assertNotEquals(b.completions().subList(0, 8), b.completions().subList(24, 32));
        assertNotEquals(new KeyedGroupSampler().sample(policy, PROMPTS, 8, PLAIN, new SplittableRandom(6))
                .completions(), b.completions(), "another step key, another batch");
    }

    @Test
    void badArgumentsAreRejectedByName() {
        TabularPolicy policy = TabularPolicy.uniform(3, 2);
        KeyedGroupSampler s = new KeyedGroupSampler();
        assertMessage(() -> s.sample(policy, List.of(), 2, PLAIN, new SplittableRandom(1)), "prompts must not be empty");
        assertMessage(() -> s.sample(policy, PROMPTS, 1, PLAIN, new SplittableRandom(1)), "groupSize");
        assertMessage(() -> s.sample(policy, PROMPTS, 2, PLAIN, null), "rng");
        assertMessage(() -> KeyedGroupSampler.sampleGroup(null, PROMPTS.get(0), 2, PLAIN, 1, 0), "policy");
        assertMessage(() -> KeyedGroupSampler.promptRandom(1, -1), "promptIndex must be ≥ 0, was -1");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
