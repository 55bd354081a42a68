package org.grpo4j.correction;

/**
 * Where the rollout importance weight {@code q = pi_old / pi_sampling} is formed ({@code docs/objective.md},
 * "Rollout correction"). With {@code d_t = m_t (logp_old,t − logp_sampling,t)} over a sequence's active tokens:
 */
public enum CorrectionLevel {
    /** One weight per token, {@code q_t = exp(d_t)}. TRL {@code token_*}, verl {@code rollout_is=token}. */
    TOKEN,
    /**
     * One weight per sequence, the product of its token ratios, {@code q = exp(Σ_t d_t)}, shared by all of its
     * tokens. TRL {@code sequence_*}, verl {@code rollout_is=sequence}.
     */
    SEQUENCE,
    /**
     * One weight per sequence, the geometric mean of its token ratios, {@code q = exp(Σ_t d_t / max(1, L))}.
     * verl {@code rollout_is=geometric}; TRL has no such mode.
     */
    GEOMETRIC
}
