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
 * <p>With {@code coefficientStep > 0} the trainer adapts the coefficient towards a target entropy, the adaptive
 * entropy control of Skywork-OR1 (He et al. 2025, "Skywork Open Reasoner 1 Technical Report", §3.2): at step k,
 * with e_k the mean entropy of the step's first mini-batch before its update, the bonus uses
 * {@code c_k · [e_k ≤ target]} and then {@code c_{k+1} = clamp(c_k + Δ sign(target − e_k), 0, 1)}, starting from
 * {@code c_1 = entropyCoefficient} ({@code docs/objective.md}, "Entropy bonus"). The objective itself always sees a
 * constant coefficient.
 *
 * <p>Default ({@link #off()}): {@code topEntropyQuantile = 1}, every token trains (TRL's default);
 * {@code entropyCoefficient = 0}, no bonus (TRL has none, verl's {@code entropy_coeff} defaults to 0); no
 * adaptation ({@code targetEntropy = 0}, {@code coefficientStep = 0}).
 *
 * @param topEntropyQuantile q, the share of the batch's active tokens kept: those whose entropy is at least the
 *                           {@code (1 − q)} quantile (linear interpolation, as {@code torch.quantile}) of the
 *                           active tokens' entropies; in (0, 1]; 1 keeps every token
 * @param entropyCoefficient coef of the entropy bonus (the initial one when adaptive); in [0, 1] (verl
 *                           {@code entropy_coeff}, typically 1e-3); 0 turns it off unless adaptive
 * @param targetEntropy      the adaptive control's target mean entropy (nats); finite, ≥ 0; unused when
 *                           {@code coefficientStep = 0}
 * @param coefficientStep    Δ, the adaptive control's step per training step; finite, ≥ 0; 0 keeps the coefficient
 *                           constant
 */
public record EntropyControl(double topEntropyQuantile, double entropyCoefficient, double targetEntropy,
                             double coefficientStep) {

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
        org.grpo4j.Checks.nonNegative("targetEntropy", targetEntropy);
        org.grpo4j.Checks.nonNegative("coefficientStep", coefficientStep);
    }

    /**
     * A control without adaptation.
     *
     * @param topEntropyQuantile q in (0, 1]
     * @param entropyCoefficient coef in [0, 1]
     * @throws IllegalArgumentException if a value is out of range
     */
    public EntropyControl(double topEntropyQuantile, double entropyCoefficient) {
        this(topEntropyQuantile, entropyCoefficient, 0, 0);
    }

    /**
     * An entropy bonus whose coefficient the trainer adapts towards a target entropy (Skywork-OR1), with no token
     * selection.
     *
     * @param initial the first step's coefficient c_1, in [0, 1] (Skywork-OR1 starts from 0)
     * @param target  the target mean entropy (nats), finite and ≥ 0
     * @param step    Δ per training step, finite and &gt; 0
     * @return the control
     * @throws IllegalArgumentException if a value is out of range or {@code step} is 0
     */
    public static EntropyControl adaptiveBonus(double initial, double target, double step) {
        org.grpo4j.Checks.positive("step", step);
        return new EntropyControl(1, initial, target, step);
    }

    /** @return whether the trainer adapts the coefficient ({@code coefficientStep > 0}) */
    public boolean adaptive() {
        return coefficientStep > 0;
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
        return new EntropyControl(topEntropyQuantile, coefficient, targetEntropy, coefficientStep);
    }

    /** @return whether the loss has an entropy bonus (coef &gt; 0); the objective then needs the entropies */
    public boolean hasBonus() {
        return entropyCoefficient > 0;
    }

    /** @return whether the objective or the adaptive control reads the entropies (a mask or a bonus) */
    public boolean needsEntropies() {
        return masksTokens() || hasBonus() || adaptive();
    }

    /**
     * The adaptive control's update: {@code clamp(c + Δ sign(target − entropy), 0, 1)}.
     *
     * @param coefficient c_k
     * @param entropy     e_k, the step's mean entropy
     * @return c_{k+1}; {@code coefficient} when not adaptive
     * @throws IllegalArgumentException if {@code entropy} is NaN
     */
    public double nextCoefficient(double coefficient, double entropy) {
        if (Double.isNaN(entropy)) {
            throw new IllegalArgumentException("entropy must not be NaN");
        }
        if (!adaptive()) {
            return coefficient;
        }
        return Math.max(0, Math.min(1, coefficient + coefficientStep * Math.signum(targetEntropy - entropy)));
    }

    /**
     * The coefficient the adaptive control applies at a step: {@code c_k} where the entropy is at most the
     * target, else 0 (the bonus only pushes entropy up while it is below the target).
     *
     * @param coefficient c_k
     * @param entropy     e_k
     * @return the coefficient for the objective; {@code coefficient} when not adaptive
     * @throws IllegalArgumentException never
     */
    public double appliedCoefficient(double coefficient, double entropy) {
        return !adaptive() || entropy <= targetEntropy ? coefficient : 0;
    }

    /** @return whether tokens are selected by entropy (q &lt; 1); the objective then needs the entropies */
    public boolean masksTokens() {
        return topEntropyQuantile < 1;
    }
}
