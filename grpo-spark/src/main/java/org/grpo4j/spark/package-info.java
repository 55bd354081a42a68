/**
 * Scale-out on Apache Spark: {@link org.grpo4j.spark.SparkGroupSampler} samples and scores a step's groups on
 * executors with randomness keyed by (seed, step, prompt index), so it returns the batch of the local
 * {@link org.grpo4j.sampling.KeyedGroupSampler} whatever the partitioning; {@link org.grpo4j.spark.SparkVerifierRunner}
 * scores large batches across executors. The policy travels as {@link org.grpo4j.io.TensorArchive} bytes
 * ({@link org.grpo4j.spark.PolicyCodec}), the verifier as a serializable {@link org.grpo4j.spark.VerifierFactory}.
 * See {@code docs/scale-out.md}.
 */
package org.grpo4j.spark;
