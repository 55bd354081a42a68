package org.grpo4j.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.Completion;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;

/** Measures a policy on a prompt set: the mean reward of its completions (for a 0/1 verifier, the accuracy). */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * The mean reward over {@code samplesPerPrompt} completions of every prompt.
     *
     * @param policy           the model (not changed)
     * @param prompts          the prompts; not empty
     * @param verifier         the reward; it must not throw
     * @param sampling         how completions are drawn ({@code greedy} for the model's single best answer)
     * @param samplesPerPrompt completions per prompt; ≥ 1
     * @param rng              the sampling randomness
     * @return the mean reward
     * @throws IllegalArgumentException if an argument is null, {@code prompts} is empty or
     *                                  {@code samplesPerPrompt < 1}
     * @throws IllegalStateException    if the verifier throws, naming prompt and completion
     */
    public static double meanReward(Policy policy, List<Prompt> prompts, RewardVerifier verifier,
                                    SamplingConfig sampling, int samplesPerPrompt, RandomGenerator rng) {
        Checks.notNull("policy", policy);
        Checks.notNull("prompts", prompts);
        Checks.notNull("verifier", verifier);
        Checks.notNull("sampling", sampling);
        Checks.atLeast("samplesPerPrompt", samplesPerPrompt, 1);
        Checks.notNull("rng", rng);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
        List<int[]> tokens = new ArrayList<>(prompts.size() * samplesPerPrompt);
        for (Prompt p : prompts) {
            for (int k = 0; k < samplesPerPrompt; k++) {
                tokens.add(p.tokens());
            }
        }
        List<Completion> completions = policy.sample(tokens, sampling, rng);
        double sum = 0;
        for (int i = 0; i < completions.size(); i++) {
            Prompt p = prompts.get(i / samplesPerPrompt);
            int[] c = completions.get(i).tokens();
            try {
                sum += verifier.score(p, c);
            } catch (Exception e) {
                throw new IllegalStateException("verifier " + verifier.name() + " failed on prompt '" + p.id()
                        + "', completion " + java.util.Arrays.toString(c), e);
            }
        }
        return sum / completions.size();
    }
}
