package org.grpo4j.verify.process;

/** What went wrong with a reward process; carried by {@link RewardProcessException#failure()}. */
public enum ProcessFailure {
    /** The command could not be started (no such program, not executable, no such working directory). */
    START_FAILED,
    /** The process ran past its time limit; its process tree was killed. */
    TIMED_OUT,
    /** The process exited with a nonzero status. */
    EXITED_NONZERO,
    /** The process exited with status 0 but printed fewer reward lines than it got completions. */
    TOO_FEW_REWARDS,
    /** The process printed more reward lines than it got completions; its process tree was killed. */
    TOO_MANY_REWARDS,
    /** A reward line was not a finite JSON number; the process tree was killed. */
    BAD_REWARD_LINE,
    /** The process wrote more than {@code maxOutputBytes} to stdout; its process tree was killed. */
    STDOUT_LIMIT,
    /** The process wrote more than {@code maxOutputBytes} to stderr; its process tree was killed. */
    STDERR_LIMIT,
    /** The process exited but something it started kept its output open past the time limit; it was killed. */
    OUTPUT_HELD_OPEN
}
