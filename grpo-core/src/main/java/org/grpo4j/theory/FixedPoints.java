package org.grpo4j.theory;

import java.util.TreeSet;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.KlEstimator;

/**
 * Where iterated exact GRPO goes, per (KL estimator × advantage scaling), for one prompt of a tabular softmax
 * policy with on-policy sampling at temperature 1 (see {@code docs/theory.md}, sections 2–4).
 *
 * <p>The expected loss gradient on the logits is (up to the aggregation's constant factor)
 * <pre>
 *   g_j = −pi_j·ā(j) + β·pi_j·(κ_j − E_pi[κ]),   κ = 1 (k1), log(pi/pi_ref) (k2), 1 − pi_ref/pi (k3),
 * </pre>
 * where ā is the {@link ExpectedAdvantage expected advantage}. The KL part is 0 (k1), ∇KL(pi‖pi_ref) (k2) or
 * ∇KL(pi_ref‖pi) (k3). Setting g = 0 on the support gives the fixed points:
 * <ul>
 *   <li>no std scaling, {@code ā = c·(r − E r)} with {@code c = (G−1)/G} (group mean) or 1 (leave-one-out):
 *       k2: {@code pi ∝ pi_ref·exp(c·r/β)}; k3: {@code pi_j = pi_ref_j / (1 − (c/β)(r_j − E_pi r))};</li>
 *   <li>std scaling: the same with {@code c·r} replaced by the pi-dependent {@code ā_pi}, solved numerically;</li>
 *   <li>k1 or β = 0: no interior fixed point.</li>
 * </ul>
 * With a two-valued reward the problem is one-dimensional in the success mass p, and the fixed point reached
 * from pi_ref is the smallest root above Q of the scalar equation (the one the flow meets first).
 */
public final class FixedPoints {
    private static final int MAX_ITERATIONS = 20_000;
    private static final double TOLERANCE = 1e-12;

    private FixedPoints() {
    }

    /**
     * The constant c with {@code ā(y) = c·(r(y) − E_pi[r])} when advantages are not std-scaled.
     *
     * @param config group size and baseline
     * @return {@code (G − 1)/G} for {@code GROUP_MEAN}, 1 for {@code LEAVE_ONE_OUT}
     * @throws IllegalArgumentException if config is null or its baseline is not a group baseline
     */
    public static double unscaledAdvantageFactor(GrpoConfig config) {
        Checks.notNull("config", config);
        return switch (config.advantageBaseline()) {
            case GROUP_MEAN -> (config.groupSize() - 1.0) / config.groupSize();
            case LEAVE_ONE_OUT -> 1.0;
            case NONE, GREEDY -> throw new IllegalArgumentException("fixed points are derived for a group "
                    + "baseline (GROUP_MEAN, LEAVE_ONE_OUT), was advantageBaseline " + config.advantageBaseline());
        };
    }

    /**
     * The fixed point of iterated exact GRPO from pi_ref for one prompt.
     *
     * @param config    the GRPO configuration (estimator, β, scaling, baseline, G, ε)
     * @param reference pi_ref, K probabilities (also the starting policy)
     * @param rewards   K finite rewards
     * @return the fixed point and how it is known
     * @throws IllegalArgumentException if pi_ref is not a distribution, a reward is not finite or the lengths
     *                                  differ
     * @throws IllegalStateException    if the implicit equation (std scaling, three or more reward values) does
     *                                  not converge
     */
    public static FixedPoint solve(GrpoConfig config, double[] reference, double[] rewards) {
        Checks.notNull("config", config);
        KlRegularizedOptimum.checkDistribution("reference", reference, -1);
        KlRegularizedOptimum.checkRewards(rewards, reference.length);
        double beta = config.beta();
        if (beta == 0 || config.klEstimator() == KlEstimator.K1) {
            return new FixedPoint(FixedPointKind.NO_INTERIOR, KlRegularizedOptimum.forwardKl(reference, rewards, 0));
        }
        if (config.advantageScaling() == AdvantageScaling.NONE) {
            double effectiveBeta = beta / unscaledAdvantageFactor(config);
            return config.klEstimator() == KlEstimator.K2
                    ? new FixedPoint(FixedPointKind.CLOSED_FORM,
                            KlRegularizedOptimum.forwardKl(reference, rewards, effectiveBeta))
                    : new FixedPoint(FixedPointKind.SCALAR_EQUATION,
                            KlRegularizedOptimum.reverseKl(reference, rewards, effectiveBeta));
        }
        TreeSet<Double> values = new TreeSet<>();
        for (int j = 0; j < reference.length; j++) {
            if (reference[j] > 0) {
                values.add(rewards[j]);
            }
        }
        if (values.size() == 1) {
            return new FixedPoint(FixedPointKind.IMPLICIT, reference.clone()); // all advantages are 0
        }
        if (values.size() == 2) {
            double lo = values.first();
            double hi = values.last();
            double q = 0;
            for (int j = 0; j < reference.length; j++) {
                if (reference[j] > 0 && rewards[j] == hi) {
                    q += reference[j];
                }
            }
            double qBar = 0;
            for (int j = 0; j < reference.length; j++) {
                if (reference[j] > 0 && rewards[j] != hi) {
                    qBar += reference[j];
                }
            }
            // the root's logit gives p and 1 − p each to full relative precision, also when one of them is tiny
            double z = twoClassLogit(config, q, qBar, lo, hi);
            double p = sigmoid(z);
            double pBar = sigmoid(-z);
            double[] pi = new double[reference.length];
            for (int j = 0; j < reference.length; j++) {
                if (reference[j] > 0) {
                    pi[j] = rewards[j] == hi ? reference[j] * (p / q) : reference[j] * (pBar / qBar);
                }
            }
            return new FixedPoint(FixedPointKind.IMPLICIT, pi);
        }
        return new FixedPoint(FixedPointKind.IMPLICIT, dampedIteration(config, reference, rewards));
    }

    /**
     * The success probability at the fixed point for a binary reward (1 correct, 0 incorrect) and base correct
     * mass Q: the ceiling iterated exact GRPO approaches from pi_ref.
     * <ul>
     *   <li>k2, no std scaling: {@code sigmoid(logit Q + c/β)} ({@link BinaryRewardBound#forwardKlCeiling});</li>
     *   <li>k3, no std scaling: {@link BinaryRewardBound#reverseKlCeiling} with strength c/β;</li>
     *   <li>k2, std scaling: the smallest root p &gt; Q of {@code logit p = logit Q + h(p)/β};</li>
     *   <li>k3, std scaling: the smallest root p &gt; Q of {@code p − Q = (h(p)/β)·p(1 − p)};</li>
     *   <li>k1 or β = 0: 1 (for Q &gt; 0).</li>
     * </ul>
     * h is {@link ExpectedAdvantage#binaryScale}. Q = 0 gives 0 and Q = 1 gives 1 in every case.
     *
     * @param config the GRPO configuration
     * @param q      Q in [0, 1]
     * @return the ceiling in [Q, 1]
     * @throws IllegalArgumentException if config is null or Q is outside [0, 1]
     */
    public static double binaryCeiling(GrpoConfig config, double q) {
        Checks.notNull("config", config);
        Checks.inClosedRange("q", q, 0, 1);
        if (q == 0 || q == 1) {
            return q;
        }
        if (config.beta() == 0 || config.klEstimator() == KlEstimator.K1) {
            return 1;
        }
        if (config.advantageScaling() == AdvantageScaling.NONE) {
            double s = unscaledAdvantageFactor(config) / config.beta();
            return config.klEstimator() == KlEstimator.K2
                    ? BinaryRewardBound.forwardKlCeiling(q, s)
                    : BinaryRewardBound.reverseKlCeiling(q, s);
        }
        return sigmoid(twoClassLogit(config, q, 1 - q, 0, 1));
    }

    /**
     * The expected gradient of GRPO's loss with respect to the logits of one prompt, predicted by the theory, for
     * loss weights summing to 1 over the group (multiply by the aggregation's factor, e.g. {@code 1/P} for P
     * prompts per batch, and {@code 1/maxCompletionLength} for {@code CONSTANT_NORMALIZER}):
     * {@code g_j = −pi_j ā(j) + β pi_j (κ_j − E_pi κ)} on pi's support, 0 elsewhere.
     *
     * @param config    the GRPO configuration
     * @param pi        the current policy, K probabilities
     * @param reference pi_ref, K probabilities; pi's support must lie in its support when β &gt; 0
     * @param rewards   K finite rewards
     * @return K gradient components
     * @throws IllegalArgumentException if an argument is invalid, or β &gt; 0 and pi puts mass where pi_ref has
     *                                  none
     */
    public static double[] expectedGradient(GrpoConfig config, double[] pi, double[] reference, double[] rewards) {
        Checks.notNull("config", config);
        KlRegularizedOptimum.checkDistribution("reference", reference, -1);
        double[] abar = ExpectedAdvantage.of(pi, rewards, config);
        double[] kl = klGradient(config.klEstimator(), pi, reference);
        double[] g = new double[pi.length];
        for (int j = 0; j < pi.length; j++) {
            g[j] = pi[j] > 0 ? -pi[j] * abar[j] + config.beta() * kl[j] : 0.0;
        }
        return g;
    }

    /**
     * The expected gradient of the KL term per unit β, {@code E_{y~pi}[κ(y) ∇_θ log pi(y)]}, i.e.
     * {@code pi_j (κ_j − E_pi κ)} on pi's support: 0 for k1, ∇KL(pi‖pi_ref) for k2, ∇KL(pi_ref‖pi) for k3
     * (which is {@code pi_j − pi_ref_j} when the supports agree).
     *
     * @param estimator the estimator placed in the loss
     * @param pi        the current policy, K probabilities
     * @param reference pi_ref, K probabilities
     * @return K components, 0 outside pi's support
     * @throws IllegalArgumentException if a distribution is invalid, the lengths differ, or pi puts mass where
     *                                  pi_ref has none
     */
    public static double[] klGradient(KlEstimator estimator, double[] pi, double[] reference) {
        Checks.notNull("estimator", estimator);
        KlRegularizedOptimum.checkDistribution("pi", pi, -1);
        KlRegularizedOptimum.checkDistribution("reference", reference, pi.length);
        int k = pi.length;
        double[] kappa = new double[k];
        double mean = 0;
        for (int j = 0; j < k; j++) {
            if (pi[j] > 0) {
                if (reference[j] == 0) {
                    throw new IllegalArgumentException("pi[" + j + "] = " + pi[j] + " lies outside the reference's "
                            + "support (reference[" + j + "] = 0)");
                }
                kappa[j] = switch (estimator) {
                    case K1 -> 1.0;
                    case K2 -> Math.log(pi[j] / reference[j]);
                    case K3 -> 1.0 - reference[j] / pi[j];
                };
                mean += pi[j] * kappa[j];
            }
        }
        double[] g = new double[k];
        for (int j = 0; j < k; j++) {
            g[j] = pi[j] > 0 ? pi[j] * (kappa[j] - mean) : 0.0;
        }
        return g;
    }

    /**
     * The stationarity residual {@code max_j |g_j / pi_j|} over pi's support, with g from
     * {@link #expectedGradient}: 0 exactly at a fixed point, and insensitive to how small pi_j is.
     *
     * @param config    the GRPO configuration
     * @param pi        K probabilities
     * @param reference pi_ref, K probabilities
     * @param rewards   K finite rewards
     * @return the residual ≥ 0
     * @throws IllegalArgumentException as {@link #expectedGradient}
     */
    public static double residual(GrpoConfig config, double[] pi, double[] reference, double[] rewards) {
        double[] g = expectedGradient(config, pi, reference, rewards);
        double r = 0;
        for (int j = 0; j < pi.length; j++) {
            if (pi[j] > 0) {
                r = Math.max(r, Math.abs(g[j] / pi[j]));
            }
        }
        return r;
    }

    /**
     * The logit of the smallest root p above Q of the two-class fixed-point equation, the class of reward
     * {@code hi} having base mass Q in (0, 1) and the other class {@code qBar = 1 − Q} (passed separately so that
     * neither loses precision when it is tiny). The advantage is {@code ā = h(p)·(1[r = hi] − p)} with
     * {@code h = ā(hi) − ā(lo)}.
     */
    static double twoClassLogit(GrpoConfig config, double q, double qBar, double lo, double hi) {
        double beta = config.beta();
        boolean k2 = config.klEstimator() == KlEstimator.K2;
        double z0 = Math.log(q) - Math.log(qBar);
        double bound = ExpectedAdvantage.twoClassScaleBound(config, lo, hi) / beta;
        // the root lies in (z0, zMax]: for K2 f(z0 + bound) ≥ 0; for K3 f ≥ 0 once 1 − p ≤ min(1 − q, (1 − q)/bound)/4
        double zMax;
        if (k2) {
            zMax = z0 + bound + 1e-9;
        } else {
            double tail = Math.min(qBar, qBar / Math.max(bound, 1e-300)) / 4;
            zMax = Math.max(z0, Math.log1p(-tail) - Math.log(tail)) + 1e-9;
        }
        double step = Math.max(1e-3, (zMax - z0) / 20_000);
        double a = z0;
        double fa = twoClassEquation(config, k2, z0, q, qBar, lo, hi);
        double b = a;
        double fb = fa;
        while (fb < 0 && b < zMax) {
            a = b;
            fa = fb;
            b = Math.min(zMax, b + step);
            fb = twoClassEquation(config, k2, b, q, qBar, lo, hi);
        }
        if (fa >= 0) {
            return a;
        }
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (a + b);
            if (mid <= a || mid >= b) {
                break;
            }
            if (twoClassEquation(config, k2, mid, q, qBar, lo, hi) < 0) {
                a = mid;
            } else {
                b = mid;
            }
        }
        return 0.5 * (a + b);
    }

    /**
     * K2: {@code z − logit q − h/β}; K3: {@code (p − q) − (h/β) p (1 − p)}, with {@code p − q} written as
     * {@code qBar − pBar} above ½ so it does not cancel; both negative below the root.
     */
    private static double twoClassEquation(GrpoConfig config, boolean k2, double z, double q, double qBar, double lo,
                                           double hi) {
        double p = sigmoid(z);
        double pBar = sigmoid(-z);
        double h = ExpectedAdvantage.twoClassScale(p, pBar, lo, hi, config);
        double s = h / config.beta();
        if (k2) {
            return z - (Math.log(q) - Math.log(qBar)) - s;
        }
        return (q <= 0.5 ? p - q : qBar - pBar) - s * p * pBar;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * Damped fixed-point iteration {@code pi ← (1 − α) pi + α T(pi)} with {@code T(pi)} the KL-regularised optimum
     * for the rewards {@code ā_pi} (forward KL for k2, reverse for k3); α halves whenever the step grows.
     */
    private static double[] dampedIteration(GrpoConfig config, double[] reference, double[] rewards) {
        boolean k2 = config.klEstimator() == KlEstimator.K2;
        double[] pi = reference.clone();
        double alpha = 1;
        double previous = Double.POSITIVE_INFINITY;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[] abar = ExpectedAdvantage.of(pi, rewards, config);
            double[] target = k2 ? KlRegularizedOptimum.forwardKl(reference, abar, config.beta())
                    : KlRegularizedOptimum.reverseKl(reference, abar, config.beta());
            double change = 0; // relative, so that tiny probabilities converge as well as large ones
            for (int j = 0; j < pi.length; j++) {
                if (target[j] > 0 || pi[j] > 0) {
                    change = Math.max(change, Math.abs(target[j] - pi[j]) / Math.max(target[j], pi[j]));
                }
            }
            if (change <= TOLERANCE) {
                return target;
            }
            if (change > previous && alpha > 1e-4) {
                alpha /= 2;
            }
            previous = change;
            double sum = 0;
            for (int j = 0; j < pi.length; j++) {
                pi[j] = (1 - alpha) * pi[j] + alpha * target[j];
                sum += pi[j];
            }
            for (int j = 0; j < pi.length; j++) {
                pi[j] /= sum;
            }
        }
        throw new IllegalStateException("the implicit fixed point (" + config.klEstimator() + ", "
                + config.advantageScaling() + ", beta " + config.beta() + ") did not converge in " + MAX_ITERATIONS
                + " iterations; last change " + previous);
    }
}
