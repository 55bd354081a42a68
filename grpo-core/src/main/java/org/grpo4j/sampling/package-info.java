/**
 * Sampling: the token filter chain ({@link org.grpo4j.sampling.TokenSampler}) and the
 * {@link org.grpo4j.GroupSampler} implementations, independent, keyed by prompt (the
 * partition-independent randomness distributed samplers reproduce) and DAPO-style dynamic.
 */
package org.grpo4j.sampling;
