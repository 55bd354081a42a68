/**
 * Running {@link org.grpo4j.RewardVerifier verifiers} safely: a bounded pool, a time limit per call and a configured
 * {@link org.grpo4j.verify.FailurePolicy}, so a failing or hanging verifier never corrupts a training run.
 */
package org.grpo4j.verify;
