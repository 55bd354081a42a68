package org.grpo4j.testing;

import org.grpo4j.GrpoConfig;
import org.grpo4j.PolicyLossParameters;

/**
 * The numeric fields of a {@link GrpoConfig}; with a {@link ConfigVariant} they make a configuration.
 *
 * @param groupSize           G ≥ 2
 * @param advantageEpsilon    ε of the advantage denominator, ≥ 0
 * @param epsilonLow          in [0, 1)
 * @param epsilonHigh         ≥ 0
 * @param dualClipMargin      &gt; 0: the dual-clip constant, when on, is {@code 1 + epsilonHigh + dualClipMargin}
 * @param positiveBeta        β &gt; 0 used when the variant has a KL term
 * @param maxCompletionLength ≥ 1
 * @param policyLossParameters the numbers of the non-default policy losses
 */
public record ConfigNumbers(int groupSize, double advantageEpsilon, double epsilonLow, double epsilonHigh,
                            double dualClipMargin, double positiveBeta, int maxCompletionLength,
                            PolicyLossParameters policyLossParameters) {

    /**
     * Numbers with the default policy-loss parameters.
     *
     * @param groupSize           G ≥ 2
     * @param advantageEpsilon    ε of the advantage denominator
     * @param epsilonLow          in [0, 1)
     * @param epsilonHigh         ≥ 0
     * @param dualClipMargin      &gt; 0
     * @param positiveBeta        β &gt; 0
     * @param maxCompletionLength ≥ 1
     */
    public ConfigNumbers(int groupSize, double advantageEpsilon, double epsilonLow, double epsilonHigh,
                         double dualClipMargin, double positiveBeta, int maxCompletionLength) {
        this(groupSize, advantageEpsilon, epsilonLow, epsilonHigh, dualClipMargin, positiveBeta, maxCompletionLength,
                PolicyLossParameters.defaults());
    }

    /**
     * The numbers of a configuration (β = 0 and dual clip off give the defaults' 0.04 and a margin of 2).
     *
     * @param c a configuration
     * @return its numbers
     */
    public static ConfigNumbers of(GrpoConfig c) {
        return new ConfigNumbers(c.groupSize(), c.advantageEpsilon(), c.epsilonLow(), c.epsilonHigh(),
                c.dualClipEnabled() ? c.dualClip() - 1 - c.epsilonHigh() : 2.0,
                c.beta() > 0 ? c.beta() : 0.04, c.maxCompletionLength(), c.policyLossParameters());
    }
}
