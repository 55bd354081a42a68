package org.grpo4j.theory;

import org.grpo4j.Checks;

/**
 * Closed-form optima of KL-regularised objectives over a finite output space, for one prompt (see
 * {@code docs/theory.md}, sections 1 and 3).
 *
 * <ul>
 *   <li>Forward KL (the paper's objective, and GRPO's fixed point under the k2 estimator):
 *       {@code F(pi) = E_pi[r] − β·KL(pi‖pi_ref)} is maximised by {@code pi* = pi_ref·exp(r/β) / Z}, and
 *       {@code F(pi*) − F(pi) = β·KL(pi‖pi*)} for every pi.</li>
 *   <li>Reverse KL (GRPO's fixed point under the k3 estimator): over the distributions on pi_ref's support,
 *       {@code R(pi) = E_pi[r] − β·KL(pi_ref‖pi)} is maximised by {@code pi_j = pi_ref_j / (ν − r_j/β)}, with the
 *       scalar {@code ν > max r/β} fixed by normalisation; at the optimum {@code ν = 1 + E_pi[r]/β}. Unlike the
 *       forward KL, {@code KL(pi_ref‖pi)} does not forbid mass outside pi_ref's support: over the whole simplex R
 *       improves by moving mass onto an output j outside it whenever {@code r_j > E_pi[r] + β}. GRPO cannot make
 *       that move (it never samples j, whose logit gets no gradient), so its k3 fixed point is the
 *       support-restricted maximiser computed here.</li>
 * </ul>
 * Both keep the support of {@code pi_ref} and the ratios {@code pi_j / pi_ref_j} within a reward class. At β = 0
 * both are {@code pi_ref} restricted to the best rewards of its support, renormalised (the β → 0 limit). In double
 * precision {@code forwardKl} underflows to 0 where the exact value is below about {@code e^-745} (a tiny β with a
 * large reward gap); the support is otherwise kept exactly.
 *
 * <p>Distributions are arrays of K probabilities, finite, ≥ 0, summing to 1 within 1e-9; rewards are K finite
 * values (the rewards outside {@code pi_ref}'s support do not matter).
 */
public final class KlRegularizedOptimum {
    private static final double SUM_TOLERANCE = 1e-9;

    private KlRegularizedOptimum() {
    }

    /**
     * {@code argmax_pi E_pi[r] − β·KL(pi‖pi_ref) = pi_ref·exp(r/β) / Z}, computed with the largest exponent shifted
     * to 0.
     *
     * @param reference pi_ref, K probabilities
     * @param rewards   r, K finite values
     * @param beta      β ≥ 0
     * @return pi*, K probabilities, 0 wherever pi_ref is 0
     * @throws IllegalArgumentException if pi_ref is not a distribution, the lengths differ, a reward is not finite
     *                                  or β is negative or not finite
     */
    public static double[] forwardKl(double[] reference, double[] rewards, double beta) {
        check(reference, rewards, beta);
        if (beta == 0) {
            return argmaxLimit(reference, rewards);
        }
        int k = reference.length;
        double rMax = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (reference[j] > 0) {
                rMax = Math.max(rMax, rewards[j]);
            }
        }
        double[] pi = new double[k];
        double z = 0;
        for (int j = 0; j < k; j++) {
            if (reference[j] > 0) {
                // (r_j − r_max)/β ≤ 0, so no +∞ − +∞ when r/β overflows for tiny β
                pi[j] = reference[j] * Math.exp((rewards[j] - rMax) / beta);
                z += pi[j];
            }
        }
        for (int j = 0; j < k; j++) {
            pi[j] /= z;
        }
        return pi;
    }

    /**
     * {@code argmax E_pi[r] − β·KL(pi_ref‖pi)} over the distributions pi on pi_ref's support (see the class
     * comment for why the restriction matters): {@code pi_j = pi_ref_j / (ν − r_j/β)} with ν found by bisection
     * to double precision ({@code sum_j pi_j} is decreasing in ν).
     *
     * @param reference pi_ref, K probabilities
     * @param rewards   r, K finite values
     * @param beta      β ≥ 0
     * @return the maximiser, K probabilities, 0 wherever pi_ref is 0
     * @throws IllegalArgumentException as {@link #forwardKl}
     */
    public static double[] reverseKl(double[] reference, double[] rewards, double beta) {
        check(reference, rewards, beta);
        if (beta == 0) {
            return argmaxLimit(reference, rewards);
        }
        int k = reference.length;
        double rMax = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (reference[j] > 0) {
                rMax = Math.max(rMax, rewards[j]);
            }
        }
        // u = ν − rMax/β > 0; gap_j = (rMax − r_j)/β ≥ 0; sum_j ref_j / (u + gap_j) = 1, decreasing in u.
        // Bracket: the best class's mass m satisfies m ≤ u ≤ 1 (at u = m the best class alone sums to 1).
        double[] gap = new double[k];
        double best = 0;
        for (int j = 0; j < k; j++) {
            if (reference[j] > 0) {
                gap[j] = (rMax - rewards[j]) / beta;
                if (gap[j] == 0) {
                    best += reference[j];
                }
            }
        }
        double lo = best;
        double hi = 1;
        for (int it = 0; it < 200 && lo < hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (reverseSum(reference, gap, mid) > 1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double u = 0.5 * (lo + hi);
        double[] pi = new double[k];
        double z = 0;
        for (int j = 0; j < k; j++) {
            if (reference[j] > 0) {
                pi[j] = reference[j] / (u + gap[j]);
                z += pi[j];
            }
        }
        for (int j = 0; j < k; j++) {
            pi[j] /= z; // removes the last ulp of the bisection
        }
        return pi;
    }

    /**
     * {@code E_pi[r] − β·KL(pi‖pi_ref)}; −∞ if pi puts mass where pi_ref has none.
     *
     * @param pi        K probabilities
     * @param reference pi_ref, K probabilities
     * @param rewards   K finite rewards
     * @param beta      β ≥ 0
     * @return the objective value
     * @throws IllegalArgumentException if an argument is not a distribution or the lengths differ
     */
    public static double forwardObjective(double[] pi, double[] reference, double[] rewards, double beta) {
        check(reference, rewards, beta);
        checkDistribution("pi", pi, reference.length);
        return expectation(pi, rewards) - (beta == 0 ? 0 : beta * kl(pi, reference));
    }

    /**
     * {@code E_pi[r] − β·KL(pi_ref‖pi)}; −∞ if pi_ref puts mass where pi has none.
     *
     * @param pi        K probabilities
     * @param reference pi_ref, K probabilities
     * @param rewards   K finite rewards
     * @param beta      β ≥ 0
     * @return the objective value
     * @throws IllegalArgumentException if an argument is not a distribution or the lengths differ
     */
    public static double reverseObjective(double[] pi, double[] reference, double[] rewards, double beta) {
        check(reference, rewards, beta);
        checkDistribution("pi", pi, reference.length);
        return expectation(pi, rewards) - (beta == 0 ? 0 : beta * kl(reference, pi));
    }

    /**
     * {@code KL(p‖q) = sum_j p_j log(p_j / q_j)}, with {@code 0 log 0 = 0}.
     *
     * @param p K probabilities
     * @param q K probabilities
     * @return the divergence in [0, +∞]; +∞ if p puts mass where q has none
     * @throws IllegalArgumentException if an argument is not a distribution or the lengths differ
     */
    public static double kl(double[] p, double[] q) {
        checkDistribution("p", p, -1);
        checkDistribution("q", q, p.length);
        double d = 0;
        for (int j = 0; j < p.length; j++) {
            if (p[j] > 0) {
                if (q[j] == 0) {
                    return Double.POSITIVE_INFINITY;
                }
                d += p[j] * Math.log(p[j] / q[j]);
            }
        }
        return Math.max(0, d);
    }

    /**
     * {@code E_pi[r]}.
     *
     * @param pi      K probabilities
     * @param rewards K finite rewards
     * @return {@code sum_j pi_j r_j}
     * @throws IllegalArgumentException if pi is not a distribution, a reward is not finite or the lengths differ
     */
    public static double expectation(double[] pi, double[] rewards) {
        checkDistribution("pi", pi, -1);
        checkRewards(rewards, pi.length);
        double e = 0;
        for (int j = 0; j < pi.length; j++) {
            e += pi[j] * rewards[j];
        }
        return e;
    }

    /** pi_ref restricted to the largest reward on its support, renormalised. */
    private static double[] argmaxLimit(double[] reference, double[] rewards) {
        double rMax = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < reference.length; j++) {
            if (reference[j] > 0) {
                rMax = Math.max(rMax, rewards[j]);
            }
        }
        double[] pi = new double[reference.length];
        double z = 0;
        for (int j = 0; j < reference.length; j++) {
            if (reference[j] > 0 && rewards[j] == rMax) {
                pi[j] = reference[j];
                z += pi[j];
            }
        }
        for (int j = 0; j < pi.length; j++) {
            pi[j] /= z;
        }
        return pi;
    }

    private static double reverseSum(double[] reference, double[] gap, double u) {
        double s = 0;
        for (int j = 0; j < reference.length; j++) {
            if (reference[j] > 0) {
                s += reference[j] / (u + gap[j]);
            }
        }
        return s;
    }

    private static void check(double[] reference, double[] rewards, double beta) {
        checkDistribution("reference", reference, -1);
        checkRewards(rewards, reference.length);
        Checks.nonNegative("beta", beta);
    }

    static void checkRewards(double[] rewards, int k) {
        Checks.notNull("rewards", rewards);
        if (rewards.length != k) {
            throw new IllegalArgumentException("rewards length (" + rewards.length + ") must equal the number of "
                    + "outputs (" + k + ")");
        }
        for (int j = 0; j < k; j++) {
            Checks.finite("rewards[" + j + "]", rewards[j]);
        }
    }

    /**
     * Checks a distribution: K ≥ 1 entries in [0, 1] summing to 1 within 1e-9.
     *
     * @param name   the argument's name
     * @param p      the distribution
     * @param length the required length, or −1 for any
     * @throws IllegalArgumentException naming the argument and the offending entry or sum
     */
    static void checkDistribution(String name, double[] p, int length) {
        Checks.notNull(name, p);
        if (p.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        if (length >= 0 && p.length != length) {
            throw new IllegalArgumentException(name + " length (" + p.length + ") must equal " + length);
        }
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            if (!(p[j] >= 0 && p[j] <= 1)) {
                throw new IllegalArgumentException(name + "[" + j + "] must be a probability in [0, 1], was " + p[j]);
            }
            sum += p[j];
        }
        if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
            throw new IllegalArgumentException(name + " must sum to 1, summed to " + sum);
        }
    }
}
