package org.grpo4j.optim;

import org.grpo4j.Checks;

/**
 * Linear warm-up, then cosine decay to a floor (HF transformers' {@code get_cosine_with_min_lr_schedule_with_warmup}
 * with {@code num_cycles = 0.5}, {@code min_lr_rate = minRatio}):
 * <pre>
 *   step &lt; warmupSteps:           step / warmupSteps
 *   warmupSteps ≤ step ≤ totalSteps: minRatio + (1 - minRatio) * (1 + cos(pi * progress)) / 2,
 *                                   progress = (step - warmupSteps) / (totalSteps - warmupSteps)
 *   step &gt; totalSteps:            minRatio
 * </pre>
 * Up to {@code totalSteps} the factors equal HF's; after it HF's cosine rises again, while this schedule holds
 * {@code minRatio}.
 *
 * @param warmupSteps the number of warm-up updates; ≥ 0
 * @param totalSteps  the update whose factor is {@code minRatio}; &gt; {@code warmupSteps}
 * @param minRatio    the final factor, as a fraction of the configured learning rate; in {@code [0, 1]}
 */
public record WarmupCosineSchedule(int warmupSteps, int totalSteps, double minRatio) implements LearningRateSchedule {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code warmupSteps} is negative, {@code totalSteps} is not greater than
     *                                  {@code warmupSteps}, or {@code minRatio} is outside {@code [0, 1]} or NaN
     */
    public WarmupCosineSchedule {
        Checks.atLeast("warmupSteps", warmupSteps, 0);
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("totalSteps must be > warmupSteps, was totalSteps = " + totalSteps
                    + ", warmupSteps = " + warmupSteps);
        }
        Checks.inClosedRange("minRatio", minRatio, 0, 1);
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
        if (step < warmupSteps) {
            return (double) step / warmupSteps;
        }
        if (step >= totalSteps) {
            return minRatio;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
