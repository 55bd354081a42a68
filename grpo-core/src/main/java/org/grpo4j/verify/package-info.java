/**
 * Running {@link org.grpo4j.RewardVerifier verifiers} safely: a pool of at most {@code threads} running calls (a
 * timed-out call that ignores its interrupt keeps its slot until it returns), a time limit per call and a configured
 * {@link org.grpo4j.verify.FailurePolicy}, so a failing or hanging verifier never corrupts a training run. Verifiers
 * that may hang beyond an interrupt run in child processes ({@code org.grpo4j.verify.process}).
 */
package org.grpo4j.verify;
