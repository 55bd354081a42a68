package org.grpo4j.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.GroupSampler;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;

/**
 * G independent completions per prompt, with randomness keyed by prompt: the sampler draws one {@code long}, the
 * step key, from the generator it is given, and samples the group of prompt {@code i} (its index in the step's
 * prompt list) in a call of {@link Policy#sample} of its own with the generator
 * {@link #promptRandom(long, int) promptRandom(stepKey, i)}. The trainer's generator is a function of
 * (seed, step), so every group is a function of (seed, step, prompt index) alone: any split of the prompts over
 * threads, processes or machines that runs {@link #sampleGroup} gives this sampler's batch, completion for
 * completion (the scale-out samplers of {@code grpo-spark} rely on it).
 *
 * <p>The numbers differ from {@link IndependentGroupSampler}'s, which samples all B·G sequences in one call
 * whose draws interleave the prompts; that sampler stays the trainer's default so existing runs keep their numbers.
 */
public final class KeyedGroupSampler implements GroupSampler {
    /** Weyl increment of the prompt keys (the golden ratio, as {@link SplittableRandom}'s). */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Creates the sampler; it holds no state. */
    public KeyedGroupSampler() {
    }

    /**
     * Samples every group, in prompt order.
     *
     * @throws IllegalArgumentException if an argument is null, {@code groupSize < 2}, the prompts are empty or do
     *                                  not fit the policy
     */
    @Override
    public GroupBatch sample(Policy policy, List<Prompt> prompts, int groupSize, SamplingConfig sampling,
                             RandomGenerator rng) {
        SamplerArguments.check(policy, prompts, groupSize, sampling, rng);
        long stepKey = stepKey(rng);
        List<Completion> completions = new ArrayList<>(prompts.size() * groupSize);
        for (int i = 0; i < prompts.size(); i++) {
            completions.addAll(sampleGroup(policy, prompts.get(i), groupSize, sampling, stepKey, i));
        }
        return GroupBatch.of(prompts, groupSize, completions);
    }

    /**
     * The step key: the one value this sampler draws from the generator of a {@link #sample} call.
     *
     * @param rng the generator handed to {@link #sample}
     * @return its next {@code long}
     * @throws IllegalArgumentException if {@code rng} is null
     */
    public static long stepKey(RandomGenerator rng) {
        return Checks.notNull("rng", rng).nextLong();
    }

    /**
     * The group of one prompt, exactly as {@link #sample} produces it.
     *
     * @param policy      the policy to sample from
     * @param prompt      the prompt
     * @param groupSize   G; ≥ 2
     * @param sampling    temperature, filters and stop conditions
     * @param stepKey     the step key ({@link #stepKey})
     * @param promptIndex the prompt's index in the step's prompt list; ≥ 0
     * @return G completions
     * @throws IllegalArgumentException if an argument is null, {@code groupSize < 2}, {@code promptIndex < 0} or the
     *                                  prompt does not fit the policy
     */
    public static List<Completion> sampleGroup(Policy policy, Prompt prompt, int groupSize, SamplingConfig sampling,
                                               long stepKey, int promptIndex) {
        Checks.notNull("policy", policy);
        Checks.notNull("prompt", prompt);
        Checks.atLeast("groupSize", groupSize, 2);
        Checks.notNull("sampling", sampling);
        List<int[]> repeated = new ArrayList<>(groupSize);
        int[] tokens = prompt.tokens();
        for (int k = 0; k < groupSize; k++) {
            repeated.add(tokens);
        }
        List<Completion> group = policy.sample(repeated, sampling, promptRandom(stepKey, promptIndex));
        if (group.size() != groupSize) {
            throw new IllegalStateException("the policy returned " + group.size() + " completions for " + groupSize
                    + " prompts");
        }
        return group;
    }

    /**
     * The generator of one prompt's group: a {@link SplittableRandom} seeded with
     * {@code mix64(stepKey + GOLDEN * (promptIndex + 1))}, where GOLDEN is SplittableRandom's increment and mix64
     * its finaliser (Stafford's variant 13), so the prompts' streams start at unrelated points of the generator's
     * sequence rather than one draw apart.
     *
     * @param stepKey     the step key
     * @param promptIndex the prompt's index; ≥ 0
     * @return a new generator
     * @throws IllegalArgumentException if {@code promptIndex < 0}
     */
    public static SplittableRandom promptRandom(long stepKey, int promptIndex) {
        Checks.atLeast("promptIndex", promptIndex, 0);
        return new SplittableRandom(mix64(stepKey + GOLDEN * (promptIndex + 1L)));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, as SplittableRandom's {@code mix64}. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
