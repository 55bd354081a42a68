package org.grpo4j;

/**
 * The policy surrogate {@code p_it} each active token contributes before aggregation (docs/objective.md, section
 * 3, has every formula with its source). With {@code u = log ρ} the (clamped) log-ratio, ρ the importance ratio at
 * {@link GrpoConfig#importanceLevel()}, A the advantage and ℓ = logpNew. The numeric parameters of each loss are
 * in {@link PolicyLossParameters}; {@code sg(·)} is a stop-gradient (a constant in the gradient).
 */
public enum PolicyLoss {
    /**
     * The clipped surrogate {@code max(−ρA, −clip(ρ, 1 − ε_low, 1 + ε_high) A)}, with the optional dual clip (PPO,
     * Schulman et al. 2017; GRPO; DAPO's clip-higher; TRL {@code loss_type} grpo/dapo/bnpo/dr_grpo/luspo; verl
     * {@code vanilla}). The default.
     */
    CLIPPED,
    /**
     * CISPO: {@code −sg(min(ρ, ε_max)) A ℓ}, the clipped importance weight as a stop-gradient coefficient on the
     * log-probability, so no token ever loses its gradient (MiniMax-M1, arXiv:2506.13585; TRL
     * {@code loss_type="cispo"}, whose cap is {@code epsilon_high}; ScaleRL's ε_max = 5).
     */
    CISPO,
    /**
     * SAPO: {@code −(4/τ) σ(τ(ρ − 1)) A} with τ = τ_pos for A &gt; 0 and τ_neg otherwise, a smooth gate instead of
     * the hard clip (Soft Adaptive Policy Optimization, Qwen 2025, arXiv:2511.20347; TRL {@code loss_type="sapo"},
     * {@code sapo_temperature_pos/neg}; verl {@code sapo}). Its gradient {@code −4σ(1 − σ) ρ A} equals the
     * unclipped one at ρ = 1 and decays smoothly away from it.
     */
    SAPO,
    /**
     * GMPO: every token of sequence i gets {@code −A exp(Σ_t m ũ_t / L_i)}, the geometric mean of the token ratios
     * after clipping each log-ratio in log space, {@code ũ = sign(A) min(sign(A) u, sign(A) clamp(u, −ε_low,
     * ε_high))} (Geometric-Mean Policy Optimization, arXiv:2507.20673; verl {@code geo_mean}, which reuses
     * {@code clip_ratio_low/high} as the log-space range). Token-level ratios only.
     */
    GMPO,
    /**
     * GPG: the plain policy gradient {@code −A ℓ} with group advantages, no ratio and no clip (Group Policy
     * Gradient, arXiv:2504.02546; verl {@code gpg}). Token-level ratios only (the ratio enters metrics alone).
     */
    GPG,
    /**
     * VESPO: {@code −sg(φ_i) A ℓ} with the sequence weight {@code φ = exp(λ + k log W − λ W)}, W the clamped
     * product of the sequence's token ratios, k and λ chosen by the sign of A, φ(1) = 1 (TRL
     * {@code loss_type="vespo"}, {@code get_gamma_weights}, {@code vespo_k_pos/lambda_pos/k_neg/lambda_neg}).
     * Token-level ratios only (TRL computes the sequence weight itself).
     */
    VESPO,
    /**
     * KL-Cov: the unclipped {@code −ρA} on every token, plus {@code κ |u|} on the {@code max(1, ⌊r · n⌋)} active
     * tokens with the largest covariance {@code (A − Ā)(ℓ − ℓ̄)} (Cui et al. 2025, "The Entropy Mechanism of
     * Reinforcement Learning for Reasoning Language Models", arXiv:2505.22617; verl {@code kl_cov},
     * {@code kl_cov_ratio}, {@code ppo_kl_coef}). Token-level ratios only.
     */
    KL_COV,
    /**
     * Clip-Cov: the clipped surrogate, with the gradient of up to {@code max(1, ⌊r · n⌋)} unclipped active tokens
     * whose covariance {@code (A − Ā)(ℓ − ℓ̄)} lies in {@code (lb, ub)} cut off (their loss is 0) (Cui et al.
     * 2025; verl {@code clip_cov}, {@code clip_cov_ratio/lb/ub}). verl draws the tokens at random among the
     * candidates; here they are the candidates of largest covariance, ties by lower index, so the objective stays
     * a pure function. Token-level ratios only.
     */
    CLIP_COV;

    /**
     * Whether this loss accepts {@link ImportanceLevel#SEQUENCE} ratios (the others define their own ratio).
     *
     * @return {@code true} for CLIPPED, CISPO and SAPO
     */
    public boolean supportsSequenceLevel() {
        return switch (this) {
            case CLIPPED, CISPO, SAPO -> true;
            case GMPO, GPG, VESPO, KL_COV, CLIP_COV -> false;
        };
    }
}
