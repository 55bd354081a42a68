package org.grpo4j.correction;

/**
 * The policy's entropy in the objective: token selection, training only on the highest-entropy tokens of the batch
 * (Wang et al. 2025, "Beyond the 80/20 rule: high-entropy minority tokens drive effective RLVR"; TRL
 * {@code top_entropy_quantile}), and an entropy bonus {@code loss −= coef · Σ w H} (verl {@code entropy_coeff}).
 * The objective reads the policy's per-token entropies ({@link org.grpo4j.ObjectiveInput#entropies()}) and returns
 * the bonus's gradient with respect to them ({@link org.grpo4j.ObjectiveResult#entropyGradient()}), which the
 * policy back-propagates into its logits ({@link org.grpo4j.PolicyForward#backward(org.nd4j.linalg.api.ndarray.INDArray,
 * org.nd4j.linalg.api.ndarray.INDArray)}). The formulas, with the mask's tie rule, are in
 * {@code docs/objective.md}, "Entropy masking" and "Entropy bonus".
 *
 * <p>Default ({@link #off()}): {@code topEntropyQuantile = 1}, every token trains (TRL's default);
 * {@code entropyCoefficient = 0}, no bonus (TRL has none, verl's {@code entropy_coeff} defaults to 0).
 *
 * @param topEntropyQuantile q, the share of the batch's active tokens kept: those whose entropy is at least the
 *                           {@code (1 − q)} quantile (linear interpolation, as {@code torch.quantile}) of the
 *                           active tokens' entropies; in (0, 1]; 1 keeps every token
 * @param entropyCoefficient coef of the entropy bonus; in [0, 1] (verl {@code entropy_coeff}, typically 1e-3); 0
 *                           turns it off
 */
public record EntropyControl(double topEntropyQuantile, double entropyCoefficient) {

    private static final EntropyControl OFF = new EntropyControl(1, 0);

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code topEntropyQuantile} is not in (0, 1]
     */
    public EntropyControl {
        if (!(topEntropyQuantile > 0 && topEntropyQuantile <= 1)) {
            throw new IllegalArgumentException("topEntropyQuantile must be in (0, 1], was " + topEntropyQuantile);
        }
        if (!(entropyCoefficient >= 0 && entropyCoefficient <= 1)) {
            throw new IllegalArgumentException("entropyCoefficient must be in [0, 1], was " + entropyCoefficient);
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
        return new EntropyControl(q, 0);
    }

    /**
     * An entropy bonus with a constant coefficient and no token selection.
     *
     * @param coefficient coef in [0, 1]
     * @return the control
     * @throws IllegalArgumentException if {@code coefficient} is not in [0, 1]
     */
    public static EntropyControl bonus(double coefficient) {
        return new EntropyControl(1, coefficient);
    }

    /**
     * This control with another bonus coefficient.
     *
     * @param coefficient coef in [0, 1]
     * @return a new control with the same token selection
     * @throws IllegalArgumentException if {@code coefficient} is not in [0, 1]
     */
    public EntropyControl withCoefficient(double coefficient) {
        return new EntropyControl(topEntropyQuantile, coefficient);
    }

    /** @return whether the loss has an entropy bonus (coef &gt; 0); the objective then needs the entropies */
    public boolean hasBonus() {
        return entropyCoefficient > 0;
    }

    /** @return whether the objective reads the entropies (a mask or a bonus) */
    public boolean needsEntropies() {
        return masksTokens() || hasBonus();
    }

    /** @return whether tokens are selected by entropy (q &lt; 1); the objective then needs the entropies */
    public boolean masksTokens() {
        return topEntropyQuantile < 1;
    }
}
