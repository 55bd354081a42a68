package org.grpo4j;

/**
 * The per-token estimator of KL(pi_new || pi_ref) placed in the loss, with {@code d = logp_ref - logp_new}
 * (Schulman 2020, "Approximating KL Divergence"). What each one's gradient optimises is derived in
 * {@code docs/theory.md}.
 */
public enum KlEstimator {
    /** {@code k1 = -d = logp_new - logp_ref}. */
    K1,
    /** {@code k2 = d^2 / 2}. */
    K2,
    /** {@code k3 = exp(d) - d - 1} (GRPO, Shao et al. 2024; TRL's estimator). */
    K3
}
