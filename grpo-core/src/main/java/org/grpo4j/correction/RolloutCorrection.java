package org.grpo4j.correction;

import org.grpo4j.Checks;

/**
 * How the policy loss is corrected when the completions were sampled by a distribution other than the trainer's
 * old policy: a sampler whose log-probabilities ({@link org.grpo4j.ObjectiveInput#logpSampling()}) differ from the
 * trainer's recomputation ({@code logpOld}), as with a remote, quantised or differently batched sampler; and
 * DeepSeek-V3.2's two off-policy safeguards. Every formula is in {@code docs/objective.md}, "Rollout correction".
 *
 * <p>Per token, the policy loss {@code p_t} becomes {@code c_t p_t} with a detached weight
 * {@code c_t = w_IS · keep} (TRL multiplies its {@code per_token_loss} the same way, before the KL term is added):
 * <ul>
 *   <li>{@code w_IS}: the importance weight {@code q = pi_old / pi_sampling} at {@link #level()}, truncated or
 *       masked by {@link #mode()}; 1 when the mode is OFF or no sampling log-probabilities are given.</li>
 *   <li>{@code keep}: DeepSeek-V3.2 off-policy sequence masking (DeepSeek-AI 2025, "DeepSeek-V3.2", §3.1; TRL
 *       {@code off_policy_mask_threshold}): 0 for a sequence with a negative advantage whose mean
 *       {@code logp_sampling − logp_new} over its active tokens exceeds {@link #offPolicyMaskThreshold()} δ, else
 *       1.</li>
 * </ul>
 * With {@link #klCorrection()} the KL estimator is weighted by the token ratio {@code pi_new / pi_old} (DeepSeek-V3.2's
 * unbiased KL estimate; TRL {@code use_bias_correction_kl}), differentiated.
 *
 * <p>Defaults ({@link #off()}): mode OFF, TOKEN level, {@code upper = 3}, {@code lower = 0} (TRL's
 * {@code vllm_importance_sampling_cap = 3.0} and its mask, which has no lower bound), δ = +∞ (off), no KL
 * correction: today's numbers are unchanged.
 *
 * @param mode                   what is done with the weight {@code q}
 * @param level                  token, sequence (product) or geometric-mean weights
 * @param upper                  the cap of TRUNCATE and the upper bound of MASK; finite, &gt; 0 (TRL
 *                               {@code vllm_importance_sampling_cap}, verl {@code rollout_is_threshold})
 * @param lower                  the lower bound of MASK; finite, in {@code [0, upper]} (verl
 *                               {@code rollout_is_threshold_lower}; TRL: 0); unused by TRUNCATE
 * @param offPolicyMaskThreshold δ of the off-policy sequence mask; ≥ 0, {@code +Infinity} turns it off
 * @param klCorrection           weight the KL estimator by {@code pi_new / pi_old} (DeepSeek-V3.2)
 */
public record RolloutCorrection(CorrectionMode mode, CorrectionLevel level, double upper, double lower,
                                double offPolicyMaskThreshold, boolean klCorrection) {

    /** TRL's {@code vllm_importance_sampling_cap} default. */
    public static final double TRL_CAP = 3.0;

    private static final RolloutCorrection OFF = new RolloutCorrection(CorrectionMode.OFF, CorrectionLevel.TOKEN,
            TRL_CAP, 0, Double.POSITIVE_INFINITY, false);

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field and its value when a rule is broken
     */
    public RolloutCorrection {
        Checks.notNull("mode", mode);
        Checks.notNull("level", level);
        Checks.positive("upper", upper);
        Checks.nonNegative("lower", lower);
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("lower (" + lower + ") must be ≤ upper (" + upper + ")");
        }
        if (!(offPolicyMaskThreshold >= 0)) {
            throw new IllegalArgumentException("offPolicyMaskThreshold must be ≥ 0 or +Infinity to turn it off, was "
                    + offPolicyMaskThreshold);
        }
    }

    /**
     * No correction (the default): the objective's numbers are exactly those without a sampler.
     *
     * @return the default correction
     */
    public static RolloutCorrection off() {
        return OFF;
    }

    /**
     * TRL's {@code vllm_importance_sampling_correction}: {@code token_truncate}, {@code token_mask},
     * {@code sequence_truncate} or {@code sequence_mask} with {@code vllm_importance_sampling_cap}.
     *
     * @param mode  TRUNCATE or MASK
     * @param level TOKEN or SEQUENCE (TRL has no geometric level)
     * @param cap   {@code vllm_importance_sampling_cap}; finite, &gt; 0
     * @return the correction, MASK with no lower bound as TRL's
     * @throws IllegalArgumentException if {@code mode} is OFF or null, {@code level} is GEOMETRIC or null, or
     *                                  {@code cap} is not finite and &gt; 0
     */
    public static RolloutCorrection trl(CorrectionMode mode, CorrectionLevel level, double cap) {
        Checks.notNull("mode", mode);
        Checks.notNull("level", level);
        if (mode == CorrectionMode.OFF) {
            throw new IllegalArgumentException("mode must be TRUNCATE or MASK for a TRL correction, was OFF");
        }
        if (level == CorrectionLevel.GEOMETRIC) {
            throw new IllegalArgumentException("level must be TOKEN or SEQUENCE for a TRL correction (TRL has no "
                    + "geometric mode), was GEOMETRIC");
        }
        return new RolloutCorrection(mode, level, cap, 0, Double.POSITIVE_INFINITY, false);
    }

    /**
     * verl's rollout importance sampling: {@code rollout_is} level, {@code rollout_is_mode} and
     * {@code rollout_is_threshold}, with {@code rollout_is_threshold_lower} left at its default {@code 1/threshold}.
     *
     * @param mode      TRUNCATE or MASK
     * @param level     TOKEN, SEQUENCE or GEOMETRIC
     * @param threshold {@code rollout_is_threshold}; finite, ≥ 1
     * @return the correction
     * @throws IllegalArgumentException if {@code mode} is OFF or null, {@code level} is null or {@code threshold}
     *                                  is not finite and ≥ 1
     */
    public static RolloutCorrection verl(CorrectionMode mode, CorrectionLevel level, double threshold) {
        Checks.notNull("mode", mode);
        Checks.notNull("level", level);
        if (mode == CorrectionMode.OFF) {
            throw new IllegalArgumentException("mode must be TRUNCATE or MASK for a verl correction, was OFF");
        }
        if (!(threshold >= 1 && threshold < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("threshold must be finite and ≥ 1 (its reciprocal is the lower "
                    + "bound), was " + threshold);
        }
        return new RolloutCorrection(mode, level, threshold, 1 / threshold, Double.POSITIVE_INFINITY, false);
    }

    /**
     * This correction with DeepSeek-V3.2's off-policy sequence masking.
     *
     * @param delta δ, the largest mean {@code logp_sampling − logp_new} a negative-advantage sequence may have; ≥ 0
     *              or {@code +Infinity} to turn it off
     * @return a new correction
     * @throws IllegalArgumentException if {@code delta} is negative or NaN
     */
    public RolloutCorrection withOffPolicyMask(double delta) {
        return new RolloutCorrection(mode, level, upper, lower, delta, klCorrection);
    }

    /**
     * This correction with or without DeepSeek-V3.2's unbiased KL estimate.
     *
     * @param on whether the KL estimator is weighted by {@code pi_new / pi_old}
     * @return a new correction
     * @throws IllegalArgumentException never
     */
    public RolloutCorrection withKlCorrection(boolean on) {
        return new RolloutCorrection(mode, level, upper, lower, offPolicyMaskThreshold, on);
    }

    /** @return whether the off-policy sequence mask is on (δ finite) */
    public boolean offPolicyMaskEnabled() {
        return offPolicyMaskThreshold != Double.POSITIVE_INFINITY;
    }

    /** @return whether this is exactly {@link #off()} in effect: no weight, no mask, no KL correction */
    public boolean isOff() {
        return mode == CorrectionMode.OFF && !offPolicyMaskEnabled() && !klCorrection;
    }

    /** @return whether the objective reads {@code logpSampling} (importance weights or the off-policy mask) */
    public boolean usesSamplingLogProbs() {
        return mode != CorrectionMode.OFF || offPolicyMaskEnabled();
    }
}
