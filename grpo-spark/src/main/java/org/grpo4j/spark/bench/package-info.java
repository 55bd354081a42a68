/**
 * Measurements of the Spark scale-out: {@link org.grpo4j.spark.bench.RolloutThroughput} times rollout steps
 * locally and through the Spark sampler; its table is in {@code docs/scale-out.md}.
 */
package org.grpo4j.spark.bench;
