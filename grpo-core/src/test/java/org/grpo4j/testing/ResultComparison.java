package org.grpo4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;

/**
 * Compares an objective's result with the reference's, entry by entry, under a {@link Tolerance}, and lists every
 * disagreement.
 *
 * <p>Tokens whose ratio lies within a relative {@link #KINK_WINDOW} of a clip bound ({@code 1 − ε_low},
 * {@code 1 + ε_high}) or of the dual-clip constant, with a non-zero advantage, are <em>near a kink</em>: there the
 * gradient jumps and the clip/dual fractions count differently for a ratio rounded to FLOAT, so their gradient
 * entries (for SEQUENCE ratios, their whole row) are not compared and each one widens the fraction tolerance by
 * one token. The loss is continuous at a kink and is always compared.
 */
public final class ResultComparison {

    /** Relative distance from a kink below which a FLOAT ratio may fall on either side of it. */
    public static final double KINK_WINDOW = 1e-5;

    private ResultComparison() {
    }

    /**
     * Whether a ratio is near a kink of the clipped, dual-clipped surrogate.
     *
     * @param ratio     ρ
     * @param advantage A (a zero advantage has no kink)
     * @param c         the configuration
     * @param window    relative distance
     * @return {@code true} if ρ is within {@code window} of a bound that matters for A's sign
     */
    public static boolean nearKink(double ratio, double advantage, GrpoConfig c, double window) {
        if (advantage == 0) {
            return false;
        }
        return switch (c.policyLoss()) {
            case CLIPPED, CLIP_COV -> near(ratio, 1 - c.epsilonLow(), window)
                    || near(ratio, 1 + c.epsilonHigh(), window)
                    || (c.dualClipEnabled() && advantage < 0 && near(ratio, c.dualClip(), window));
            // the CISPO weight min(ρ, ε_max) has a kink at ε_max (and its clip metric a jump)
            case CISPO -> near(ratio, c.policyLossParameters().cispoEpsilonMax(), window);
            // GMPO clips each token's log-ratio at ε_high (A > 0) or −ε_low (A < 0)
            case GMPO -> advantage > 0 ? near(ratio, Math.exp(c.epsilonHigh()), window)
                    : near(ratio, Math.exp(-c.epsilonLow()), window);
            // |log ρ| has its kink at ρ = 1, on the tokens KL-Cov selects
            case KL_COV -> near(ratio, 1, window);
            case SAPO, GPG, VESPO -> false;
        };
    }

    private static boolean near(double x, double bound, double window) {
        return Math.abs(x - bound) <= window * Math.abs(bound);
    }

    /**
     * Compares everything an evaluation returns.
     *
     * @param actual    the result under test
     * @param expected  the reference result for the same case
     * @param c         the case
     * @param tolerance the tolerance
     * @return the disagreements, empty if none
     */
    public static List<String> compare(ObjectiveResult actual, ReferenceGrpoObjective.Result expected,
                                       ObjectiveCase c, Tolerance tolerance) {
        List<String> errors = new ArrayList<>();
        GrpoConfig config = c.config();
        int n = c.n();
        int t = c.t();
        double window = Tolerance.DOUBLE.equals(tolerance) ? 1e-12 : KINK_WINDOW;

        // near-kink tokens and rows
        boolean[][] skip = new boolean[n][t];
        int nearKinks = 0;
        for (int i = 0; i < n; i++) {
            boolean rowNear = false;
            for (int j = 0; j < t; j++) {
                if (c.mask()[i][j] == 1
                        && nearKink(expected.ratio()[i][j], expected.advantages()[i], config, window)) {
                    skip[i][j] = true;
                    rowNear = true;
                    nearKinks++;
                }
            }
            if (rowNear && config.importanceLevel() == ImportanceLevel.SEQUENCE) {
                java.util.Arrays.fill(skip[i], true);
            }
        }

        // loss: the scale of a token's loss is |p| + β·(the size of the KL estimator's ingredients)
        double policyScale = 0;
        double klScale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                double w = expected.weight()[i][j];
                policyScale += w * Math.abs(expected.tokenPolicy()[i][j]);
                klScale += w * klIngredients(c, i, j);
            }
        }
        double lossScale = policyScale + config.beta() * klScale;
        check(errors, tolerance, "loss", actual.loss(), expected.loss(), lossScale);

        // gradient
        double[][] grad = actual.gradient() == null ? null : Matrices.toMatrix(actual.gradient());
        if (grad == null || grad.length != n || grad[0].length != t) {
            errors.add("gradient has shape " + (actual.gradient() == null ? "null"
                    : java.util.Arrays.toString(actual.gradient().shape())) + ", expected [" + n + ", " + t + "]");
        } else {
            double gScale = Matrices.maxAbs(expected.gradient());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < t; j++) {
                    if (c.mask()[i][j] == 0) {
                        if (grad[i][j] != 0) {
                            errors.add("gradient[" + i + ", " + j + "] = " + grad[i][j] + " at a masked token");
                        }
                    } else if (!skip[i][j]) {
                        check(errors, tolerance, "gradient[" + i + ", " + j + "]", grad[i][j],
                                expected.gradient()[i][j], gScale);
                    }
                }
            }
        }

        // advantages
        double[] adv = actual.advantages() == null ? null : Matrices.toVector(actual.advantages());
        if (adv == null || adv.length != n) {
            errors.add("advantages have length " + (adv == null ? "null" : adv.length) + ", expected " + n);
        } else {
            double aScale = 0;
            for (double a : expected.advantages()) {
                aScale = Math.max(aScale, Math.abs(a));
            }
            for (int i = 0; i < n; i++) {
                check(errors, tolerance, "advantages[" + i + "]", adv[i], expected.advantages()[i], aScale);
            }
        }

        // metrics
        ObjectiveMetrics am = actual.metrics();
        ObjectiveMetrics em = expected.metrics();
        if (am == null) {
            errors.add("metrics are null");
            return errors;
        }
        double active = em.activeTokens();
        double ratioScale = 0;
        double kScale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                if (c.mask()[i][j] == 1) {
                    ratioScale = Math.max(ratioScale, expected.ratio()[i][j]);
                    kScale = Math.max(kScale, klIngredients(c, i, j));
                }
            }
        }
        double rScale = 0;
        for (double r : c.rewards()) {
            rScale = Math.max(rScale, Math.abs(r));
        }
        check(errors, tolerance, "metrics.loss", am.loss(), em.loss(), lossScale);
        check(errors, tolerance, "metrics.policyLoss", am.policyLoss(), em.policyLoss(), policyScale);
        check(errors, tolerance, "metrics.klLoss", am.klLoss(), em.klLoss(), klScale);
        check(errors, tolerance, "metrics.meanKl", am.meanKl(), em.meanKl(), kScale);
        check(errors, tolerance, "metrics.meanRatio", am.meanRatio(), em.meanRatio(), ratioScale);
        double fractionSlack = active > 0 ? nearKinks / active + 1e-9 : 1e-9;
        checkAbs(errors, "metrics.clipFractionLow", am.clipFractionLow(), em.clipFractionLow(), fractionSlack);
        checkAbs(errors, "metrics.clipFractionHigh", am.clipFractionHigh(), em.clipFractionHigh(), fractionSlack);
        checkAbs(errors, "metrics.clipFractionRegion", am.clipFractionRegion(), em.clipFractionRegion(),
                fractionSlack);
        checkAbs(errors, "metrics.dualClipFraction", am.dualClipFraction(), em.dualClipFraction(), fractionSlack);
        check(errors, tolerance, "metrics.rewardMean", am.rewardMean(), em.rewardMean(), rScale);
        check(errors, tolerance, "metrics.rewardStd", am.rewardStd(), em.rewardStd(), rScale);
        checkAbs(errors, "metrics.fracZeroStdGroups", am.fracZeroStdGroups(), em.fracZeroStdGroups(), 1e-12);
        if (am.activeTokens() != em.activeTokens()) {
            errors.add("metrics.activeTokens = " + am.activeTokens() + ", expected " + em.activeTokens());
        }
        return errors;
    }

    /**
     * The size of the numbers a KL estimator is computed from at one token, the scale of its rounding error:
     * {@code |d|} for K1, {@code d²/2} for K2 and {@code |expm1(d)| + |d|} for K3 ({@code expm1(d) − d} cancels
     * to {@code ≈ d²/2}, so an implementation working in FLOAT cannot do better than {@code ≈ 1e-7·|d|}); 0 without
     * a reference or at a masked token; d is clamped to [−20, 20] as the objective clamps it.
     *
     * @param c the case
     * @param i row
     * @param j column
     * @return the scale, ≥ 0
     */
    public static double klIngredients(ObjectiveCase c, int i, int j) {
        // (with the KL correction, times the token ratio that weights the estimator)
        if (c.logpRef() == null || c.mask()[i][j] == 0) {
            return 0;
        }
        double b = ReferenceGrpoObjective.LOG_RATIO_BOUND;
        double d = Math.max(-b, Math.min(b, c.logpRef()[i][j] - c.logpNew()[i][j]));
        double size = switch (c.config().klEstimator()) {
            case K1 -> Math.abs(d);
            case K2 -> d * d / 2;
            case K3 -> Math.abs(Math.expm1(d)) + Math.abs(d);
        };
        if (c.config().rolloutCorrection().klCorrection() && c.logpOld() != null) {
            // DeepSeek-V3.2's unbiased estimate multiplies the estimator by rho = pi_new / pi_old (clamped)
            size *= Math.exp(Math.max(-b, Math.min(b, c.logpNew()[i][j] - c.logpOld()[i][j])));
        }
        return size;
    }

    /**
     * Compares a result with the reference of its case, with {@link #withCovarianceTieFallback}.
     *
     * @param actual    the objective's result for {@code c}
     * @param c         the case
     * @param tolerance the comparison's tolerance
     * @return the disagreements, empty when they agree
     */
    public static List<String> compareWithReference(ObjectiveResult actual, ObjectiveCase c, Tolerance tolerance) {
        return withCovarianceTieFallback(actual, c.config(), c.advantages(),
                a -> {
                    ObjectiveCase k = a == null ? c : c.withAdvantages(a);
                    return compare(actual, k.reference(), k, tolerance);
                });
    }

    /**
     * A comparison with the reference, repeated given the objective's own advantages where KL-Cov or Clip-Cov may
     * legitimately disagree. They rank tokens by (A − mean A)(ℓ − mean ℓ): a tie at the quota between equal
     * products, or a mean advantage just outside the rounding band both objectives snap to 0, can fall differently
     * between two independent computations of the same advantages. For them, when the plain comparison disagrees
     * and the case's advantages come from its rewards, the comparison is repeated given the objective's
     * advantages, which must still match the reference's within the tolerance.
     *
     * @param actual     the objective's result
     * @param config     the case's configuration
     * @param advantages the case's given advantages, or null when the rewards determine them
     * @param compare    the comparison with the reference computed from the given advantages (null: the case's)
     * @return the disagreements, empty when they agree
     */
    public static List<String> withCovarianceTieFallback(ObjectiveResult actual, GrpoConfig config,
                                                         double[] advantages,
                                                         java.util.function.Function<double[], List<String>> compare) {
        List<String> errors = compare.apply(null);
        org.grpo4j.PolicyLoss loss = config.policyLoss();
        if (errors.isEmpty() || advantages != null
                || (loss != org.grpo4j.PolicyLoss.KL_COV && loss != org.grpo4j.PolicyLoss.CLIP_COV)) {
            return errors;
        }
        List<String> out = new java.util.ArrayList<>(errors.stream().filter(e -> e.startsWith("advantages")).toList());
        out.addAll(compare.apply(Matrices.toVector(actual.advantages())));
        return out;
    }

    private static void check(List<String> errors, Tolerance tol, String what, double actual, double expected,
                              double scale) {
        if (!tol.close(actual, expected, scale)) {
            errors.add(what + " = " + actual + ", expected " + expected + " (difference "
                    + (actual - expected) + ", scale " + scale + ")");
        }
    }

    private static void checkAbs(List<String> errors, String what, double actual, double expected, double slack) {
        if (!(Math.abs(actual - expected) <= slack)) {
            errors.add(what + " = " + actual + ", expected " + expected + " (allowed difference " + slack + ")");
        }
    }

    /**
     * Formats a list of disagreements for an assertion message: the first ten, the count and the case.
     *
     * @param errors the disagreements
     * @param c      the case
     * @return the message
     */
    public static String describe(List<String> errors, ObjectiveCase c) {
        StringBuilder sb = new StringBuilder(errors.size() + " disagreement(s) with the reference:\n");
        errors.stream().limit(10).forEach(e -> sb.append("  ").append(e).append('\n'));
        if (errors.size() > 10) {
            sb.append("  ...\n");
        }
        return sb.append(c).toString();
    }
}
