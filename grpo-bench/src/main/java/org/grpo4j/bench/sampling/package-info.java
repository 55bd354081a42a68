/**
 * Benchmarks of {@link org.grpo4j.sampling.TokenSampler}: {@link org.grpo4j.bench.sampling.TokenSamplerBenchmark}
 * over vocabulary sizes and {@link org.grpo4j.bench.sampling.TopP nucleus settings}, with fixed-seed
 * {@link org.grpo4j.bench.sampling.Logits}.
 */
package org.grpo4j.bench.sampling;
