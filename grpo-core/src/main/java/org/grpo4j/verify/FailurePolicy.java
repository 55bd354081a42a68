package org.grpo4j.verify;

/**
 * What the {@link VerifierRunner} does when a verifier throws or exceeds its time limit.
 */
public enum FailurePolicy {
    /** Stop the run with a {@link VerifierException} naming the verifier, the prompt and the completion. */
    FAIL,
    /** Score the completion with the configured failure reward and count it in the metrics. */
    SCORE
}
