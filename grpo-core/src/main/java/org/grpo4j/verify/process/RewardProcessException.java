package org.grpo4j.verify.process;

import java.util.List;

/**
 * A reward process failed. The message names the command and what happened, with how many rewards it had printed
 * and the end of its stderr, e.g. {@code reward command [sh, score.sh] exited with 1 after 3 of 8 rewards; stderr:
 * ...}. The process tree is gone when this is thrown.
 */
public final class RewardProcessException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ProcessFailure failure;
    private final List<String> command;
    private final int rewardsRead;
    private final int rewardsExpected;

    /**
     * @param failure         what went wrong
     * @param command         the command
     * @param rewardsRead     reward lines read before the failure
     * @param rewardsExpected completions the process got
     * @param message         the full message
     * @param cause           the underlying exception, or null
     */
    public RewardProcessException(ProcessFailure failure, List<String> command, int rewardsRead, int rewardsExpected,
                                  String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
        this.command = List.copyOf(command);
        this.rewardsRead = rewardsRead;
        this.rewardsExpected = rewardsExpected;
    }

    /** @return what went wrong */
    public ProcessFailure failure() {
        return failure;
    }

    /** @return the command that failed */
    public List<String> command() {
        return command;
    }

    /** @return how many valid reward lines had been read */
    public int rewardsRead() {
        return rewardsRead;
    }

    /** @return how many completions the process got */
    public int rewardsExpected() {
        return rewardsExpected;
    }
}
