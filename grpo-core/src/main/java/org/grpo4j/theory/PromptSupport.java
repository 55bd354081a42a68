package org.grpo4j.theory;

import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;

/**
 * What the {@link SupportDiagnostic} found for one prompt: of n sampled completions, c were correct; the base
 * correct mass Q is estimated by c/n with a confidence interval.
 *
 * @param prompt          the prompt
 * @param samples         n ≥ 1
 * @param correct         c in [0, n]
 * @param lower           the interval's lower bound for Q, in [0, c/n]
 * @param upper           the interval's upper bound for Q, in [c/n, 1]
 * @param confidenceLevel the interval's confidence level
 */
public record PromptSupport(Prompt prompt, int samples, int correct, double lower, double upper,
                            double confidenceLevel) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the prompt is null, the counts are out of range, or the bounds do not
     *                                  bracket c/n inside [0, 1]
     */
    public PromptSupport {
        Checks.notNull("prompt", prompt);
        Checks.atLeast("samples", samples, 1);
        if (correct < 0 || correct > samples) {
            throw new IllegalArgumentException("correct must be in [0, samples = " + samples + "], was " + correct);
        }
        double q = (double) correct / samples;
        if (!(lower >= 0 && lower <= q && upper >= q && upper <= 1)) {
            throw new IllegalArgumentException("the interval [" + lower + ", " + upper + "] must lie in [0, 1] and contain "
                    + "c/n = " + q);
        }
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("confidenceLevel must be in (0, 1), was " + confidenceLevel);
        }
    }

    /** @return the point estimate c/n of Q */
    public double q() {
        return (double) correct / samples;
    }

    /**
     * The unbiased pass@k estimate from these samples (see {@link SupportDiagnostic#passAtK}).
     *
     * @param k 1 ≤ k ≤ n
     * @return the estimated probability that at least one of k fresh samples is correct
     * @throws IllegalArgumentException if k is outside [1, n]
     */
    public double passAtK(int k) {
        return SupportDiagnostic.passAtK(samples, correct, k);
    }

    /**
     * The estimated probability that a group of G samples has all-equal binary rewards, so that every advantage
     * in it is exactly 0 and the group teaches nothing: {@code Q^G + (1 − Q)^G} at Q = c/n.
     *
     * @param groupSize G ≥ 2
     * @return the probability in [0, 1]
     * @throws IllegalArgumentException if G &lt; 2
     */
    public double zeroSignalProbability(int groupSize) {
        Checks.atLeast("groupSize", groupSize, 2);
        double q = q();
        return Math.pow(q, groupSize) + Math.pow(1 - q, groupSize);
    }

    /**
     * Whether no sampled completion was correct: GRPO sees no learning signal on this prompt until it samples a
     * correct completion, and if Q is truly 0 it never will (zero probability stays zero).
     *
     * @return {@code correct == 0}
     */
    public boolean noSuccessObserved() {
        return correct == 0;
    }

    /**
     * The success ceiling of iterated exact GRPO under {@code config} at Q = c/n (see
     * {@link FixedPoints#binaryCeiling}); evaluate it at {@link #lower()} and {@link #upper()} for a range.
     *
     * @param config the GRPO configuration
     * @return the ceiling in [c/n, 1]
     * @throws IllegalArgumentException if config is null
     */
    public double ceiling(GrpoConfig config) {
        return FixedPoints.binaryCeiling(config, q());
    }
}
