package org.grpo4j.correction;

/**
 * Entropy-based token selection: train only on the highest-entropy tokens of the batch (Wang et al. 2025, "Beyond
 * the 80/20 rule: high-entropy minority tokens drive effective RLVR"; TRL {@code top_entropy_quantile}). The
 * objective reads the policy's per-token entropies ({@link org.grpo4j.ObjectiveInput#entropies()}); the formula,
 * with its tie rule, is in {@code docs/objective.md}, "Entropy masking".
 *
 * <p>Default ({@link #off()}): {@code topEntropyQuantile = 1}, every token trains (TRL's default).
 *
 * @param topEntropyQuantile q, the share of the batch's active tokens kept: those whose entropy is at least the
 *                           {@code (1 − q)} quantile (linear interpolation, as {@code torch.quantile}) of the
 *                           active tokens' entropies; in (0, 1]; 1 keeps every token
 */
public record EntropyControl(double topEntropyQuantile) {

    private static final EntropyControl OFF = new EntropyControl(1);

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code topEntropyQuantile} is not in (0, 1]
     */
    public EntropyControl {
        if (!(topEntropyQuantile > 0 && topEntropyQuantile <= 1)) {
            throw new IllegalArgumentException("topEntropyQuantile must be in (0, 1], was " + topEntropyQuantile);
        }
    }

    /** @return every token trains (q = 1, TRL's default) */
    public static EntropyControl off() {
        return OFF;
    }

    /**
     * Keeps the top {@code q} share of tokens by entropy.
     *
     * @param q TRL {@code top_entropy_quantile}; in (0, 1] (0.2 in Wang et al. 2025)
     * @return the control
     * @throws IllegalArgumentException if {@code q} is not in (0, 1]
     */
    public static EntropyControl topQuantile(double q) {
        return new EntropyControl(q);
    }

    /** @return whether tokens are selected by entropy (q &lt; 1); the objective then needs the entropies */
    public boolean masksTokens() {
        return topEntropyQuantile < 1;
    }
}
