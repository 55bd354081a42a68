/**
 * JMH benchmarks of grpo4j, one subpackage per main package (objective, optim, sampling, train), and the
 * {@link org.grpo4j.bench.ForkedJvm options} they share; see {@code grpo-bench/README.md} for how to run them and the
 * measured numbers.
 */
package org.grpo4j.bench;
