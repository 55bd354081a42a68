package org.grpo4j.sampling;

import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;

/** The argument rules every {@link org.grpo4j.GroupSampler#sample} implementation applies, in one place. */
public final class SamplerArguments {
    private SamplerArguments() {
    }

    /**
     * Checks the arguments of a {@code sample} call.
     *
     * @param policy    the policy
     * @param prompts   the step's prompts
     * @param groupSize G
     * @param sampling  the sampling settings
     * @param rng       the step's generator
     * @throws IllegalArgumentException naming the argument: a null one, {@code groupSize < 2}, or no prompts
     */
    public static void check(Policy policy, List<Prompt> prompts, int groupSize, SamplingConfig sampling,
                             RandomGenerator rng) {
        Checks.notNull("policy", policy);
        Checks.notNull("prompts", prompts);
        Checks.atLeast("groupSize", groupSize, 2);
        Checks.notNull("sampling", sampling);
        Checks.notNull("rng", rng);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
    }
}
