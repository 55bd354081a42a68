package org.grpo4j.theory;

import org.grpo4j.Checks;

/**
 * The success ceiling and gain of KL-regularised policy optimisation under a binary reward, as functions of the
 * base model's correct mass Q and the regularisation (see {@code docs/theory.md}, sections 1 and 5).
 *
 * <p>With {@code r ∈ {0, 1}} and the optimum {@code pi* ∝ pi_ref · exp(r / β)} of {@code E[r] − β·KL(pi‖pi_ref)},
 * the success probability is
 * <pre>
 *   ceiling(Q, β) = Q e^{1/β} / (Q e^{1/β} + 1 − Q),   i.e.  logit(ceiling) = logit(Q) + 1/β,
 * </pre>
 * and {@code gain = ceiling − Q = Q(1−Q)(e^{1/β} − 1) / (1 + Q(e^{1/β} − 1))}. Every formula is also given for a
 * general <em>strength</em> s (the log-odds shift; s = 1/β for the paper's objective, s = c/β for GRPO's fixed
 * points, see {@link FixedPoints}). The reverse-KL functions give the fixed point of the k3 estimator, which
 * optimises {@code E[r] − β·KL(pi_ref‖pi)}.
 *
 * <p>All functions are exact closed forms evaluated stably (no overflow for any finite strength, exact 0 at
 * Q = 0 and 1 at Q = 1).
 */
public final class BinaryRewardBound {
    private BinaryRewardBound() {
    }

    /**
     * The paper's ceiling {@code Q e^{1/β} / (Q e^{1/β} + 1 − Q)}.
     *
     * @param q    Q, the base policy's correct mass, in [0, 1]
     * @param beta β &gt; 0
     * @return the optimum's success probability in [Q, 1]
     * @throws IllegalArgumentException if Q is outside [0, 1] or β is not finite and &gt; 0
     */
    public static double ceiling(double q, double beta) {
        return forwardKlCeiling(q, 1.0 / Checks.positive("beta", beta));
    }

    /**
     * The paper's gain {@code ceiling(Q, β) − Q}.
     *
     * @param q    Q in [0, 1]
     * @param beta β &gt; 0
     * @return the gain in [0, 1 − Q]
     * @throws IllegalArgumentException as {@link #ceiling}
     */
    public static double gain(double q, double beta) {
        return forwardKlGain(q, 1.0 / Checks.positive("beta", beta));
    }

    /**
     * The success probability of {@code pi ∝ pi_ref · exp(s·r)}: {@code sigmoid(logit(Q) + s)}.
     *
     * @param q        Q in [0, 1]
     * @param strength s ≥ 0 (the log-odds shift), finite or +∞
     * @return {@code Q / (Q + (1 − Q) e^{−s})}; 0 at Q = 0, 1 at Q = 1 or (Q &gt; 0 and s = +∞)
     * @throws IllegalArgumentException if Q is outside [0, 1] or s is negative or NaN
     */
    public static double forwardKlCeiling(double q, double strength) {
        checkQ(q);
        checkStrength(strength);
        if (q == 0 || q == 1) {
            return q;
        }
        return q / (q + (1 - q) * Math.exp(-strength));
    }

    /**
     * The gain {@code forwardKlCeiling(Q, s) − Q = Q(1−Q)(1 − e^{−s}) / (Q + (1−Q) e^{−s})}, without cancellation.
     *
     * @param q        Q in [0, 1]
     * @param strength s ≥ 0, finite or +∞
     * @return the gain in [0, 1 − Q]
     * @throws IllegalArgumentException as {@link #forwardKlCeiling}
     */
    public static double forwardKlGain(double q, double strength) {
        checkQ(q);
        checkStrength(strength);
        if (q == 0 || q == 1) {
            return 0;
        }
        double e = Math.exp(-strength);
        return q * (1 - q) * -Math.expm1(-strength) / (q + (1 - q) * e);
    }

    /**
     * The success probability of the maximiser of {@code s·E[r] − KL(pi_ref‖pi)} (the k3 fixed point with
     * s = c/β): the root in [Q, 1] of {@code s p² + (1 − s) p − Q = 0},
     * <pre>  p = (s − 1 + sqrt((1 − s)² + 4 s Q)) / (2 s).</pre>
     * Unlike the forward-KL ceiling it does not vanish as Q → 0 when s &gt; 1: it tends to {@code 1 − 1/s}. At Q = 0
     * exactly it is 0 (no correct output in the support).
     *
     * @param q        Q in [0, 1]
     * @param strength s ≥ 0, finite
     * @return p in [Q, 1]
     * @throws IllegalArgumentException if Q is outside [0, 1] or s is negative or not finite
     */
    public static double reverseKlCeiling(double q, double strength) {
        checkQ(q);
        Checks.nonNegative("strength", strength);
        if (q == 0 || q == 1 || strength == 0) {
            return q;
        }
        double p = q <= 0.5 ? reverseRoot(q, strength) : 1 - reverseComplement(q, strength);
        return Math.min(1, Math.max(q, p));
    }

    /**
     * The k3 gain {@code reverseKlCeiling(Q, s) − Q}, written {@code s p (1 − p)} (from {@code p − Q = s p (1 − p)})
     * so it does not cancel; for Q &gt; ½, {@code 1 − p} is solved for directly, so the gain keeps its relative
     * precision as Q → 1.
     *
     * @param q        Q in [0, 1]
     * @param strength s ≥ 0, finite
     * @return the gain in [0, 1 − Q]
     * @throws IllegalArgumentException as {@link #reverseKlCeiling}
     */
    public static double reverseKlGain(double q, double strength) {
        checkQ(q);
        Checks.nonNegative("strength", strength);
        if (q == 0 || q == 1 || strength == 0) {
            return 0;
        }
        if (q <= 0.5) {
            double p = reverseRoot(q, strength);
            return strength * p * (1 - p);
        }
        double v = reverseComplement(q, strength);
        return strength * (1 - v) * v;
    }

    /** The root p of {@code s p² + (1 − s) p − Q = 0} in [Q, 1], without cancellation on either side of s = 1. */
    private static double reverseRoot(double q, double s) {
        double root = Math.sqrt((1 - s) * (1 - s) + 4 * s * q);
        return s >= 1 ? (s - 1 + root) / (2 * s) : 2 * q / ((1 - s) + root);
    }

    /**
     * {@code v = 1 − p}, the root of {@code s v² − (1 + s) v + (1 − Q) = 0} in [0, 1 − Q], in the form without
     * cancellation; {@code 1 − Q} is exact in double precision for Q ≥ ½.
     */
    private static double reverseComplement(double q, double s) {
        double u = 1 - q;
        return 2 * u / ((1 + s) + Math.sqrt((1 + s) * (1 + s) - 4 * s * u));
    }

    /**
     * The slope of the paper's gain at Q = 0: {@code gain(Q, β) / Q → e^{1/β} − 1} as Q → 0, with
     * {@code 0 ≤ (e^{1/β} − 1) − gain/Q ≤ e^{1/β}(e^{1/β} − 1)·Q}.
     *
     * @param beta β &gt; 0
     * @return {@code e^{1/β} − 1}, possibly +∞ for tiny β
     * @throws IllegalArgumentException if β is not finite and &gt; 0
     */
    public static double gainSlopeAtZero(double beta) {
        return Math.expm1(1.0 / Checks.positive("beta", beta));
    }

    /**
     * The slope of the paper's gain at Q = 1: {@code gain(Q, β) / (1 − Q) → 1 − e^{−1/β}} as Q → 1, with
     * {@code 0 ≤ (1 − e^{−1/β}) − gain/(1 − Q) ≤ (1 − e^{−1/β})(1 − Q)}.
     *
     * @param beta β &gt; 0
     * @return {@code 1 − e^{−1/β}} in (0, 1)
     * @throws IllegalArgumentException if β is not finite and &gt; 0
     */
    public static double gainSlopeAtOne(double beta) {
        return -Math.expm1(-1.0 / Checks.positive("beta", beta));
    }

    /**
     * The largest gain over Q: {@code tanh(1 / (4β))}, reached at {@link #argMaxGain(double)}.
     *
     * @param beta β &gt; 0
     * @return the maximum gain
     * @throws IllegalArgumentException if β is not finite and &gt; 0
     */
    public static double maxGain(double beta) {
        return Math.tanh(0.25 / Checks.positive("beta", beta));
    }

    /**
     * The Q that maximises the paper's gain: {@code 1 / (1 + e^{1/(2β)})}, where {@code logit(Q) = −1/(2β)}.
     *
     * @param beta β &gt; 0
     * @return Q* in (0, 1/2)
     * @throws IllegalArgumentException if β is not finite and &gt; 0
     */
    public static double argMaxGain(double beta) {
        return 1.0 / (1.0 + Math.exp(0.5 / Checks.positive("beta", beta)));
    }

    private static void checkQ(double q) {
        Checks.inClosedRange("q", q, 0, 1);
    }

    private static void checkStrength(double s) {
        if (!(s >= 0)) {
            throw new IllegalArgumentException("strength must be ≥ 0, was " + s);
        }
    }
}
