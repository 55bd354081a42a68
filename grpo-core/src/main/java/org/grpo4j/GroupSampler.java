package org.grpo4j;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Produces G completions per prompt as one group-major {@link GroupBatch}, and, for ReMax's baseline
 * ({@link AdvantageBaseline#GREEDY}), one greedy completion per prompt.
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

    /**
     * One greedy (arg-max) completion per prompt: the baseline of ReMax ({@link AdvantageBaseline#GREEDY}, Li et
     * al. 2023), whose reward is subtracted from the rewards of the prompt's group. The trainer calls it once per
     * step, after {@link #sample}, only for that baseline, and scores the completions with the same verifiers.
     * The default decodes with {@code policy.sample(prompts, sampling.withGreedy(true), rng)}; a sampler whose
     * completions come from elsewhere (an inference server) overrides it to return that server's greedy
     * completions.
     *
     * @param policy   the policy to decode from
     * @param prompts  the B prompts of the batch
     * @param sampling stop conditions (temperature and filters do not apply to greedy decoding)
     * @param rng      passed to the policy; greedy decoding needs no randomness but a policy may still draw
     * @return B completions, completion b for prompt b
     * @throws IllegalArgumentException if the prompts are empty or do not fit the policy
     */
    default List<Completion> sampleGreedy(Policy policy, List<Prompt> prompts, SamplingConfig sampling,
                                          RandomGenerator rng) {
        Checks.notNull("policy", policy);
        Checks.notNull("prompts", prompts);
        Checks.notNull("sampling", sampling);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
        List<int[]> tokens = new java.util.ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            tokens.add(p.tokens());
        }
        return policy.sample(tokens, sampling.withGreedy(true), rng);
    }
}
