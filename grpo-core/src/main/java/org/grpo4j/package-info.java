/**
 * The grpo4j API: {@link org.grpo4j.Policy}, {@link org.grpo4j.RewardVerifier}, {@link org.grpo4j.GroupSampler} and
 * {@link org.grpo4j.GrpoObjective}, the immutable {@link org.grpo4j.GrpoConfig} with its variant enums, and the
 * records they exchange. Nothing here depends on an implementation package.
 */
package org.grpo4j;
