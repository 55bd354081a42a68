package org.grpo4j.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.grpo4j.Checks;
import org.grpo4j.Completion;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;

/**
 * The support-expansion diagnostic: before training, estimate each prompt's base correct mass Q(x) by sampling
 * the policy, with a confidence interval and unbiased pass@k, to see whether GRPO can help on a prompt set
 * (see {@code docs/theory.md}, section 6). GRPO only reweights what the base policy already samples: a prompt
 * with Q = 0 gets no signal, and the gain at the KL-regularised optimum vanishes as Q → 0 and as Q → 1.
 *
 * <p>Works with any {@link Policy} and {@link RewardVerifier}.
 */
public final class SupportDiagnostic {
    private SupportDiagnostic() {
    }

    /**
     * Samples {@code config.samplesPerPrompt()} completions per prompt and scores them.
     *
     * @param policy   the base policy
     * @param verifier the reward; a completion is correct when its reward is ≥ {@code config.successThreshold()}
     * @param prompts  the prompts, at least one
     * @param sampling how to sample (temperature 1 and no filters estimate the policy's own Q)
     * @param config   sample count, threshold, confidence level and interval method
     * @param rng      the only source of randomness
     * @return one result per prompt, in order
     * @throws IllegalArgumentException if an argument is null or the prompt list is empty, or as
     *                                  {@link Policy#sample}
     * @throws IllegalStateException    if the verifier throws or returns a non-finite reward (the message names
     *                                  the verifier, the prompt and the completion)
     */
    public static List<PromptSupport> run(Policy policy, RewardVerifier verifier, List<Prompt> prompts,
                                          SamplingConfig sampling, SupportDiagnosticConfig config,
                                          RandomGenerator rng) {
        Checks.notNull("policy", policy);
        Checks.notNull("verifier", verifier);
        Checks.notNull("prompts", prompts);
        Checks.notNull("sampling", sampling);
        Checks.notNull("config", config);
        Checks.notNull("rng", rng);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
        int n = config.samplesPerPrompt();
        List<PromptSupport> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            Prompt prompt = Checks.notNull("prompts[" + i + "]", prompts.get(i));
            List<Completion> completions = policy.sample(Collections.nCopies(n, prompt.tokens()), sampling, rng);
            int correct = 0;
            for (Completion c : completions) {
                double r = score(verifier, prompt, c.tokens());
                if (r >= config.successThreshold()) {
                    correct++;
                }
            }
            double[] ci = interval(n, correct, config.confidenceLevel(), config.intervalMethod());
            out.add(new PromptSupport(prompt, n, correct, ci[0], ci[1], config.confidenceLevel()));
        }
        return out;
    }

    /**
     * The unbiased estimator of pass@k from n samples with c correct (Chen et al. 2021):
     * {@code 1 − C(n − c, k) / C(n, k)}, evaluated as {@code 1 − prod_{i<k} (1 − c/(n − i))} in log space, exact
     * 1 when {@code n − c < k}.
     *
     * @param n samples, ≥ 1
     * @param c correct samples, in [0, n]
     * @param k in [1, n]
     * @return the estimate in [0, 1]
     * @throws IllegalArgumentException if the counts are out of range
     */
    public static double passAtK(int n, int c, int k) {
        Checks.atLeast("n", n, 1);
        if (c < 0 || c > n) {
            throw new IllegalArgumentException("c must be in [0, n = " + n + "], was " + c);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, n = " + n + "], was " + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double logMiss = 0;
        for (int i = 0; i < k; i++) {
            logMiss += Math.log1p(-(double) c / (n - i));
        }
        return -Math.expm1(logMiss);
    }

    /**
     * A two-sided confidence interval for a binomial proportion.
     *
     * @param n      trials, ≥ 1
     * @param c      successes, in [0, n]
     * @param level  confidence level in (0, 1)
     * @param method Wilson or Clopper–Pearson
     * @return {@code {lower, upper}} with {@code 0 ≤ lower ≤ c/n ≤ upper ≤ 1}
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static double[] interval(int n, int c, double level, IntervalMethod method) {
        Checks.atLeast("n", n, 1);
        if (c < 0 || c > n) {
            throw new IllegalArgumentException("c must be in [0, n = " + n + "], was " + c);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), was " + level);
        }
        Checks.notNull("method", method);
        double alpha = 1 - level;
        double q = (double) c / n;
        double lower;
        double upper;
        switch (method) {
            case WILSON -> {
                double z = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - alpha / 2);
                double z2 = z * z;
                double centre = (c + z2 / 2) / (n + z2);
                double half = z / (n + z2) * Math.sqrt((double) c * (n - c) / n + z2 / 4);
                lower = c == 0 ? 0 : centre - half;
                upper = c == n ? 1 : centre + half;
            }
            case CLOPPER_PEARSON -> {
                lower = c == 0 ? 0 : new BetaDistribution(null, c, n - c + 1.0, 1e-14)
                        .inverseCumulativeProbability(alpha / 2);
                upper = c == n ? 1 : new BetaDistribution(null, c + 1.0, n - c, 1e-14)
                        .inverseCumulativeProbability(1 - alpha / 2);
            }
            default -> throw new AssertionError(method);
        }
        return new double[] {Math.max(0, Math.min(lower, q)), Math.min(1, Math.max(upper, q))};
    }

    private static double score(RewardVerifier verifier, Prompt prompt, int[] completion) {
        double r;
        try {
            r = verifier.score(prompt, completion);
        } catch (Exception e) {
            throw new IllegalStateException("verifier " + verifier.name() + " failed on prompt '" + prompt.id()
                    + "', completion " + Arrays.toString(completion) + ": " + e, e);
        }
        if (!Double.isFinite(r)) {
            throw new IllegalStateException("verifier " + verifier.name() + " returned " + r + " for prompt '"
                    + prompt.id() + "', completion " + Arrays.toString(completion) + "; rewards must be finite");
        }
        return r;
    }
}
