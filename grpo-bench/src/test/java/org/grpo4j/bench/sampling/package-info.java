/**
 * Tests of the sampler benchmark's helpers: the logit builder, the baseline normaliser and the top-p settings, and
 * one call of each benchmark method.
 */
package org.grpo4j.bench.sampling;
