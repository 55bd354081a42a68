package org.grpo4j.optim;

/**
 * A learning-rate schedule: the factor by which {@link OptimizerConfig#learningRate()} is multiplied at each
 * update. Update number {@code step} (0 for the first update, as the {@code current_step} of Hugging Face
 * transformers' {@code LambdaLR} schedules) uses {@code learningRate * multiplier(step)}; so with a warm-up the
 * first update has learning rate 0, as in the HF Trainer (the moments are still updated).
 *
 * <p>Implementations: {@link #constant()}, {@link #warmupConstant(int)} and
 * {@link #warmupCosine(int, int, double)}.
 */
public sealed interface LearningRateSchedule permits ConstantSchedule, WarmupConstantSchedule, WarmupCosineSchedule {

    /**
     * The learning-rate factor of an update.
     *
     * @param step the 0-based index of the update; ≥ 0
     * @return a factor in {@code [0, 1]}
     * @throws IllegalArgumentException if {@code step} is negative
     */
    double multiplier(long step);

    /**
     * The constant schedule: factor 1 at every step.
     *
     * @return the constant schedule
     */
    static LearningRateSchedule constant() {
        return new ConstantSchedule();
    }

    /**
     * Linear warm-up from 0 over {@code warmupSteps} updates, then constant (HF transformers'
     * {@code get_constant_schedule_with_warmup}).
     *
     * @param warmupSteps the number of warm-up updates; ≥ 0 (0 is the constant schedule)
     * @return the schedule
     * @throws IllegalArgumentException if {@code warmupSteps} is negative
     */
    static LearningRateSchedule warmupConstant(int warmupSteps) {
        return new WarmupConstantSchedule(warmupSteps);
    }

    /**
     * Linear warm-up from 0 over {@code warmupSteps} updates, then half a cosine period from 1 down to
     * {@code minRatio} at update {@code totalSteps}, then {@code minRatio} (HF transformers'
     * {@code get_cosine_with_min_lr_schedule_with_warmup} with {@code num_cycles = 0.5} and
     * {@code min_lr_rate = minRatio}; {@code minRatio = 0} is {@code get_cosine_schedule_with_warmup}).
     *
     * @param warmupSteps the number of warm-up updates; ≥ 0
     * @param totalSteps  the update at which the decay reaches {@code minRatio}; &gt; {@code warmupSteps}
     * @param minRatio    the final factor; in {@code [0, 1]}
     * @return the schedule
     * @throws IllegalArgumentException if an argument breaks its rule (the message names it and its value)
     */
    static LearningRateSchedule warmupCosine(int warmupSteps, int totalSteps, double minRatio) {
        return new WarmupCosineSchedule(warmupSteps, totalSteps, minRatio);
    }
}
