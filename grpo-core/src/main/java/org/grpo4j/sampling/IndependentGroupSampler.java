package org.grpo4j.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.GroupSampler;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;

/**
 * G independent completions per prompt, drawn in one batched call of {@link Policy#sample} over all B·G
 * sequences (each prompt repeated G times, group-major).
 */
public final class IndependentGroupSampler implements GroupSampler {

    /** Creates the sampler; it holds no state. */
    public IndependentGroupSampler() {
    }

    @Override
    public GroupBatch sample(Policy policy, List<Prompt> prompts, int groupSize, SamplingConfig sampling,
                             RandomGenerator rng) {
        SamplerArguments.check(policy, prompts, groupSize, sampling, rng);
        List<int[]> repeated = new ArrayList<>(prompts.size() * groupSize);
        for (Prompt p : prompts) {
            int[] tokens = p.tokens();
            for (int k = 0; k < groupSize; k++) {
                repeated.add(tokens);
            }
        }
        List<Completion> completions = policy.sample(repeated, sampling, rng);
        return GroupBatch.of(prompts, groupSize, completions);
    }
}
