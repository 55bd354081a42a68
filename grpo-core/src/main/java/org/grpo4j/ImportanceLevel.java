package org.grpo4j;

/**
 * Where the importance ratio {@code pi_new / pi_old} is formed and clipped.
 */
public enum ImportanceLevel {
    /** One ratio per token (PPO, GRPO). */
    TOKEN,
    /**
     * One ratio per sequence: the geometric mean of the token ratios over the sequence's active tokens,
     * {@code exp(mean_t(logp_new - logp_old))}, shared by all of its tokens (GSPO, Zheng et al. 2025).
     */
    SEQUENCE
}
