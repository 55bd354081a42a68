package org.grpo4j.correction;

/**
 * What the rollout correction does with the importance weight {@code q = pi_old / pi_sampling} of a token or
 * sequence ({@code docs/objective.md}, "Rollout correction").
 */
public enum CorrectionMode {
    /** No importance weight: the policy loss is as without a sampler (today's numbers). */
    OFF,
    /**
     * Truncated importance sampling (TIS, Yao et al. 2025, "Your efficient RL framework secretly brings you
     * off-policy RL training"): the weight is {@code min(q, upper)}. TRL {@code *_truncate}, verl
     * {@code rollout_is_mode=truncate}.
     */
    TRUNCATE,
    /**
     * Masked importance sampling (MIS, IcePop-style rejection): the weight is {@code q} when
     * {@code lower ≤ q ≤ upper}, else 0. TRL {@code *_mask} (lower 0), verl {@code rollout_is_mode=mask}
     * (lower {@code 1/upper} unless set).
     */
    MASK
}
