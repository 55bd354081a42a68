package org.grpo4j;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Produces G completions per prompt as one group-major {@link GroupBatch}.
 */
@FunctionalInterface
public interface GroupSampler {

    /**
     * Samples a batch of groups.
     *
     * @param policy    the policy to sample from
     * @param prompts   the B prompts
     * @param groupSize G, completions per prompt
     * @param sampling  temperature, filters and stop conditions
     * @param rng       the only source of randomness
     * @return B groups of G completions
     * @throws IllegalArgumentException if {@code groupSize < 2} or the prompts are empty or do not fit the policy
     */
    GroupBatch sample(Policy policy, List<Prompt> prompts, int groupSize, SamplingConfig sampling,
                      RandomGenerator rng);
}
