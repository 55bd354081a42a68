package org.grpo4j.transformer;

/**
 * The non-linearity between the two projections of a transformer block's feed-forward network.
 */
public enum MlpActivation {
    /**
     * GELU in its sigmoid approximation {@code x · σ(1.702 x)} (Hendrycks &amp; Gimpel 2016, "Gaussian Error Linear
     * Units", §2), the form ND4J's {@code gelu} op computes. GPT-2 uses GELU in its feed-forward networks.
     */
    GELU,
    /** {@code max(0, x)}, as in the original transformer (Vaswani et al. 2017, eq. 2); the cheapest choice. */
    RELU
}
