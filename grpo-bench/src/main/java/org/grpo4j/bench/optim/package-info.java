/**
 * Benchmarks of {@link org.grpo4j.optim.AdamW}: {@link org.grpo4j.bench.optim.AdamWBenchmark} over
 * {@link org.grpo4j.bench.optim.ParameterSet parameter sets} of about 100k and 1M floats built by
 * {@link org.grpo4j.bench.optim.Parameters}.
 */
package org.grpo4j.bench.optim;
