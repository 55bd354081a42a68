package org.grpo4j.optim;

/**
 * The constant schedule: the configured learning rate at every update. Obtain it from
 * {@link LearningRateSchedule#constant()}.
 */
public record ConstantSchedule() implements LearningRateSchedule {

    /**
     * {@inheritDoc}
     *
     * @return 1
     * @throws IllegalArgumentException if {@code step} is negative
     */
    @Override
    public double multiplier(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be ≥ 0, was " + step);
        }
        return 1;
    }
}
