package org.grpo4j.optim;

import org.grpo4j.Checks;

/**
 * The immutable configuration of {@link AdamW}.
 *
 * <p>Defaults ({@link #defaults()}) and their sources:
 * <ul>
 *   <li>{@code variant = ADAMW}, {@code weightDecay = 0.01}: Loshchilov &amp; Hutter 2019; 0.01 is PyTorch's
 *       {@code torch.optim.AdamW} default.</li>
 *   <li>{@code learningRate = 1e-3}, {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code epsilon = 1e-8}: Kingma
 *       &amp; Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1. (TRL's {@code GRPOConfig} uses
 *       1e-6 for billion-parameter language models; the small policies this library trains take larger steps.)</li>
 *   <li>{@code maxGradNorm = 1.0}: Hugging Face {@code TrainingArguments.max_grad_norm}, which TRL inherits.</li>
 *   <li>{@code schedule = constant}.</li>
 * </ul>
 * {@link #adam()} is the same with {@code variant = ADAM} and {@code weightDecay = 0}.
 *
 * @param variant      Adam or AdamW
 * @param learningRate the base step size alpha, multiplied by the schedule; finite and &gt; 0
 * @param beta1        decay rate of the first-moment estimate; in {@code [0, 1)}
 * @param beta2        decay rate of the second-moment estimate; in {@code [0, 1)}
 * @param epsilon      added to the bias-corrected {@code sqrt(v)} (Algorithm 1); finite and &gt; 0
 * @param weightDecay  decoupled weight decay lambda, applied as {@code theta *= 1 - lr_t * weightDecay}; finite and
 *                     ≥ 0; must be 0 for {@link AdamVariant#ADAM}
 * @param maxGradNorm  the largest global L2 norm of all gradients together; larger gradients are scaled down to it
 *                     before the update. {@code +Infinity} turns clipping off; otherwise finite and &gt; 0
 * @param schedule     the learning-rate schedule
 */
public record OptimizerConfig(AdamVariant variant, double learningRate, double beta1, double beta2, double epsilon,
                              double weightDecay, double maxGradNorm, LearningRateSchedule schedule) {

    /**
     * Validates every field and the rule between {@code variant} and {@code weightDecay}.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule
     */
    public OptimizerConfig {
        Checks.notNull("variant", variant);
        Checks.positive("learningRate", learningRate);
        halfOpenUnit("beta1", beta1);
        halfOpenUnit("beta2", beta2);
        Checks.positive("epsilon", epsilon);
        Checks.nonNegative("weightDecay", weightDecay);
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("maxGradNorm must be > 0 (+Infinity turns clipping off), was "
                    + maxGradNorm);
        }
        Checks.notNull("schedule", schedule);
        if (variant == AdamVariant.ADAM && weightDecay != 0) {
            throw new IllegalArgumentException("weightDecay must be 0 for variant ADAM (use ADAMW for decoupled "
                    + "weight decay), was " + weightDecay);
        }
    }

    private static void halfOpenUnit(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
        }
    }

    /**
     * The defaults listed in the class comment: AdamW, learning rate 1e-3, betas 0.9 and 0.999, epsilon 1e-8,
     * weight decay 0.01, gradient norm clipped at 1, constant schedule.
     *
     * @return the default configuration
     */
    public static OptimizerConfig defaults() {
        return new Builder().build();
    }

    /**
     * Plain Adam (Kingma &amp; Ba 2015): the defaults with {@code variant = ADAM} and {@code weightDecay = 0}.
     *
     * @return the Adam configuration
     */
    public static OptimizerConfig adam() {
        return builder().variant(AdamVariant.ADAM).weightDecay(0).build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's values.
     *
     * @return a new builder initialised from this record
     */
    public Builder toBuilder() {
        return new Builder().variant(variant).learningRate(learningRate).beta1(beta1).beta2(beta2).epsilon(epsilon)
                .weightDecay(weightDecay).maxGradNorm(maxGradNorm).schedule(schedule);
    }

    /**
     * Whether gradients are clipped ({@code maxGradNorm} finite).
     *
     * @return {@code true} if the global gradient norm is capped at {@code maxGradNorm}
     */
    public boolean clippingEnabled() {
        return maxGradNorm != Double.POSITIVE_INFINITY;
    }

    /**
     * The learning rate of an update: {@code learningRate * schedule.multiplier(step)}.
     *
     * @param step the 0-based index of the update
     * @return the scheduled learning rate, in {@code [0, learningRate]}
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public double learningRateAt(long step) {
        return learningRate * schedule.multiplier(step);
    }

    /**
     * Builder for {@link OptimizerConfig}; starts from the defaults and validates on {@link #build()}.
     */
    public static final class Builder {
        private AdamVariant variant = AdamVariant.ADAMW;
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay = 0.01;
        private double maxGradNorm = 1.0;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();

        private Builder() {
        }

        /** @param v see {@link OptimizerConfig#variant()} @return this builder */
        public Builder variant(AdamVariant v) {
            variant = v;
            return this;
        }

        /** @param v see {@link OptimizerConfig#learningRate()} @return this builder */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /** @param v see {@link OptimizerConfig#beta1()} @return this builder */
        public Builder beta1(double v) {
            beta1 = v;
            return this;
        }

        /** @param v see {@link OptimizerConfig#beta2()} @return this builder */
        public Builder beta2(double v) {
            beta2 = v;
            return this;
        }

        /** @param v see {@link OptimizerConfig#epsilon()} @return this builder */
        public Builder epsilon(double v) {
            epsilon = v;
            return this;
        }

        /** @param v see {@link OptimizerConfig#weightDecay()} @return this builder */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** @param v see {@link OptimizerConfig#maxGradNorm()}; {@code +Infinity} is off @return this builder */
        public Builder maxGradNorm(double v) {
            maxGradNorm = v;
            return this;
        }

        /** @param v see {@link OptimizerConfig#schedule()} @return this builder */
        public Builder schedule(LearningRateSchedule v) {
            schedule = v;
            return this;
        }

        /**
         * Builds and validates the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a field or the rule between {@code variant} and {@code weightDecay}
         *                                  is violated
         */
        public OptimizerConfig build() {
            return new OptimizerConfig(variant, learningRate, beta1, beta2, epsilon, weightDecay, maxGradNorm,
                    schedule);
        }
    }
}
