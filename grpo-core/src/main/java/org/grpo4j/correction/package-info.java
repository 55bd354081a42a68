/**
 * Per-token corrections of the GRPO policy loss, configured here and applied by every
 * {@link org.grpo4j.GrpoObjective}: importance-sampling correction of rollouts whose sampler's log-probabilities
 * differ from the trainer's ({@link org.grpo4j.correction.RolloutCorrection}, TRL's
 * {@code vllm_importance_sampling_*}, verl's {@code rollout_is*}), DeepSeek-V3.2's off-policy sequence masking and
 * unbiased KL estimate, and entropy-based token selection ({@link org.grpo4j.correction.EntropyControl}, TRL's
 * {@code top_entropy_quantile}). Each is a detached weight multiplied into the token's policy loss; every formula is
 * in {@code docs/objective.md}. Only API types live here; nothing depends on an implementation package.
 */
package org.grpo4j.correction;
