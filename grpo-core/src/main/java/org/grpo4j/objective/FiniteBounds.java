package org.grpo4j.objective;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The bounds that keep every result of the objectives finite for every finite input ({@code docs/objective.md},
 * "Finite results"): the policy log-ratio and the KL log-ratio are clamped to {@code [−20, 20]} before they are
 * exponentiated (verl's clamp of the log-ratio in its PPO loss and in its k3 estimator), so that no ratio and no
 * k3 term exceeds {@code e^20 ≈ 4.85e8}; then a β or an advantage so large that {@code e^20} times it would not
 * fit the data type is rejected up front, with its name, value and the data type.
 */
final class FiniteBounds {
    /** Both log-ratios are clamped to {@code [−LOG_RATIO_BOUND, LOG_RATIO_BOUND]}; verl uses the same 20. */
    static final double LOG_RATIO_BOUND = 20;

    /** {@code e^20}: the largest ratio, k3 term or derivative of a clamped estimator. */
    static final double EXP_BOUND = Math.exp(LOG_RATIO_BOUND);

    private FiniteBounds() {
    }

    /**
     * @param x a log-ratio, possibly ±∞ (the difference of two finite FLOATs can overflow); never NaN
     * @return x clamped to [−20, 20]
     */
    static double clamp(double x) {
        return x < -LOG_RATIO_BOUND ? -LOG_RATIO_BOUND : x > LOG_RATIO_BOUND ? LOG_RATIO_BOUND : x;
    }

    /**
     * @param x a log-ratio
     * @return whether the clamp passes it through (bounds included), i.e. whether its derivative is 1, not 0
     */
    static boolean inside(double x) {
        return x >= -LOG_RATIO_BOUND && x <= LOG_RATIO_BOUND;
    }

    /**
     * The largest |A| and β a data type admits: {@code e^20 · limit} is a quarter of its largest finite value, so
     * that a token's gradient {@code w(ρ|A| + β|k'|)} and the loss stay finite with room for rounding.
     *
     * @param dt FLOAT or DOUBLE
     * @return the limit (1.75e29 for FLOAT, 9.26e298 for DOUBLE)
     */
    static double limit(DataType dt) {
        double max = dt == DataType.DOUBLE ? Double.MAX_VALUE : Float.MAX_VALUE;
        return max / 4 / EXP_BOUND;
    }

    /**
     * Rejects a β or an advantage too large for the data type (see {@link #limit}).
     *
     * @param advantages the advantages about to be used
     * @param derived    whether they were derived from the rewards (for the message)
     * @param beta       the KL weight
     * @param dt         the log-probabilities' data type
     * @throws IllegalArgumentException naming beta or the first offending advantage, its value and the type
     */
    static void checkMagnitudes(double[] advantages, boolean derived, double beta, DataType dt) {
        checkMagnitudes(advantages, derived, beta, dt, 1, 1);
    }

    /**
     * As {@link #checkMagnitudes(double[], boolean, double, DataType)} for a configuration whose corrections scale
     * the terms: an importance weight up to {@code upper} multiplies each policy term, and the KL correction's
     * ratio (up to {@code e^20}) each KL term, so the limits of |A| and β are divided by those factors.
     *
     * @param advantages the advantages about to be used
     * @param derived    whether they were derived from the rewards (for the message)
     * @param c          the configuration (β and the corrections)
     * @param dt         the log-probabilities' data type
     * @throws IllegalArgumentException naming beta or the first offending advantage, its value and the type
     */
    static void checkMagnitudes(double[] advantages, boolean derived, org.grpo4j.GrpoConfig c, DataType dt) {
        org.grpo4j.correction.RolloutCorrection rc = c.rolloutCorrection();
        double advantageScale = rc.mode() == org.grpo4j.correction.CorrectionMode.OFF ? 1 : Math.max(1, rc.upper());
        double betaScale = rc.klCorrection() ? EXP_BOUND : 1;
        checkMagnitudes(advantages, derived, c.beta(), dt, advantageScale, betaScale);
    }

    private static void checkMagnitudes(double[] advantages, boolean derived, double beta, DataType dt,
                                        double advantageScale, double betaScale) {
        double limit = limit(dt) / advantageScale;
        double betaLimit = limit(dt) / betaScale;
        if (!(beta <= betaLimit)) {
            throw new IllegalArgumentException("beta (" + beta + ") is too large for " + dt + " log-probabilities: "
                    + "beta · e^20" + (betaScale > 1 ? " · e^20 (the largest KL term and its correction ratio)"
                    : " (the largest KL term)") + " must stay below a quarter of " + dt
                    + "'s largest value, so beta must be ≤ " + (float) betaLimit);
        }
        for (int i = 0; i < advantages.length; i++) {
            if (!(Math.abs(advantages[i]) <= limit)) {
                throw new IllegalArgumentException("advantages[" + i + "] = " + advantages[i]
                        + (derived ? " (derived from the rewards)" : "") + " is too large for " + dt
                        + " log-probabilities: |A| · e^20" + (advantageScale > 1 ? " · " + advantageScale
                        + " (the largest policy term and its importance weight)" : " (the largest policy term)")
                        + " must stay below a quarter of "
                        + dt + "'s largest value, so |A| must be ≤ " + (float) limit);
            }
        }
    }

    /**
     * Rejects a KL-Cov coefficient too large for the data type (the same limit as β: {@code κ·w} is a gradient
     * term).
     *
     * @param c  the configuration
     * @param dt the log-probabilities' data type
     * @throws IllegalArgumentException naming klCovCoefficient, its value and the type
     */
    static void checkPolicyLoss(org.grpo4j.GrpoConfig c, DataType dt) {
        double kappa = c.policyLossParameters().klCovCoefficient();
        if (c.policyLoss() == org.grpo4j.PolicyLoss.KL_COV && !(kappa <= limit(dt))) {
            throw new IllegalArgumentException("klCovCoefficient (" + kappa + ") is too large for " + dt
                    + " log-probabilities: it must be ≤ " + (float) limit(dt) + ", as beta");
        }
    }

    /**
     * The mean log-ratio of a sequence, {@code Σ_t m (ℓ − ℓ_old) / max(1, L)}, finite for any finite inputs: the
     * plain sum first, and where it overflows (DOUBLE inputs near ±1.8e308) the means of ℓ and ℓ_old, each summed
     * as {@code Σ ℓ/L}, subtracted (whose difference may be ±∞, which the clamp maps to ±20, never NaN).
     *
     * @param logpNew one row, ℓ
     * @param logpOld the same row of ℓ_old
     * @param mask    the row's mask
     * @param t       the row length
     * @param len     its active length L
     * @return the mean log-ratio, possibly ±∞, never NaN
     */
    static double sequenceMeanLogRatio(double[] logpNew, double[] logpOld, double[] mask, int t, double len) {
        double sum = 0;
        for (int k = 0; k < t; k++) {
            if (mask[k] == 1) {
                sum += logpNew[k] - logpOld[k];
            }
        }
        double l = Math.max(1, len);
        if (Double.isFinite(sum)) {
            return sum / l;
        }
        double meanNew = 0;
        double meanOld = 0;
        for (int k = 0; k < t; k++) {
            if (mask[k] == 1) {
                meanNew += logpNew[k] / l;
                meanOld += logpOld[k] / l;
            }
        }
        return meanNew - meanOld;
    }
}
