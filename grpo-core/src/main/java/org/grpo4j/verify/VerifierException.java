package org.grpo4j.verify;

/**
 * A verifier failed, timed out or returned a non-finite reward; the message names the verifier, the prompt and the
 * completion.
 */
public final class VerifierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the verifier, prompt and completion
     * @param cause   the verifier's exception, or null
     */
    public VerifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
