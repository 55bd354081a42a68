package org.grpo4j.verify;

import java.time.Duration;
import org.grpo4j.Checks;

/**
 * How verifiers are run.
 *
 * <p>Defaults ({@link #defaults()}): 2 threads (the size of the machines this library is tuned for), a 10 s limit
 * per call (generous for a verifiable reward; TRL has none), {@link FailurePolicy#FAIL} with failure reward 0.
 *
 * @param threads       size of the bounded pool; ≥ 1
 * @param timeout       time limit of one verifier call; positive
 * @param onFailure     what a throwing or timed-out verifier leads to
 * @param failureReward the score given under {@link FailurePolicy#SCORE}; finite
 */
public record VerifierConfig(int threads, Duration timeout, FailurePolicy onFailure, double failureReward) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule
     */
    public VerifierConfig {
        Checks.atLeast("threads", threads, 1);
        Checks.notNull("timeout", timeout);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        Checks.notNull("onFailure", onFailure);
        Checks.finite("failureReward", failureReward);
    }

    /** @return 2 threads, 10 s, FAIL, failure reward 0 */
    public static VerifierConfig defaults() {
        return new VerifierConfig(2, Duration.ofSeconds(10), FailurePolicy.FAIL, 0.0);
    }

    /**
     * The same configuration scoring failures with {@code reward} instead of failing the run.
     *
     * @param reward the failure reward
     * @return the new configuration
     * @throws IllegalArgumentException if {@code reward} is not finite
     */
    public VerifierConfig scoringFailuresAs(double reward) {
        return new VerifierConfig(threads, timeout, FailurePolicy.SCORE, reward);
    }

    /**
     * The same configuration with another time limit.
     *
     * @param limit the time limit
     * @return the new configuration
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public VerifierConfig withTimeout(Duration limit) {
        return new VerifierConfig(threads, limit, onFailure, failureReward);
    }
}
