package org.grpo4j.bench.sampling;

import org.grpo4j.SamplingConfig;

/**
 * The nucleus (top-p) settings the sampler is benchmarked with; every other filter is off, temperature 1.
 */
public enum TopP {
    /** No nucleus filter (topP = 1): softmax and draw only. */
    OFF(1.0),
    /** Keep the smallest set of tokens with 90% of the mass: adds a sort of the V probabilities. */
    P90(0.9);

    private final double topP;

    TopP(double topP) {
        this.topP = topP;
    }

    /** @return the sampling configuration: {@link SamplingConfig#defaults()} with this top-p */
    public SamplingConfig config() {
        return SamplingConfig.defaults().withTopP(topP);
    }
}
