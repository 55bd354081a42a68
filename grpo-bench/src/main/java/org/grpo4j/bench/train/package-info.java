/**
 * Benchmarks of whole training steps on the model and task of the demo
 * ({@link org.grpo4j.tasks.PretrainThenGrpoConfig#defaults()}): {@link org.grpo4j.bench.train.TrainingStepBenchmark}.
 */
package org.grpo4j.bench.train;
