package org.grpo4j.optim;

import org.grpo4j.Checks;

/**
 * Linear warm-up, then constant: factor {@code step / warmupSteps} for {@code step < warmupSteps}, then 1 (HF
 * transformers' {@code get_constant_schedule_with_warmup}).
 *
 * @param warmupSteps the number of warm-up updates; ≥ 0, and 0 is the constant schedule
 */
public record WarmupConstantSchedule(int warmupSteps) implements LearningRateSchedule {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code warmupSteps} is negative
     */
    public WarmupConstantSchedule {
        Checks.atLeast("warmupSteps", warmupSteps, 0);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code step} is negative
     */
    @Override
    public double multiplier(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be ≥ 0, was " + step);
        }
        return step < warmupSteps ? (double) step / warmupSteps : 1;
    }
}
