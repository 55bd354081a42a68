package org.grpo4j.testing;

import java.util.function.ToDoubleFunction;

/**
 * Central finite differences of a scalar loss with respect to one entry of {@code logpNew}, with detection of
 * kinks (the clip and dual-clip bounds, where the loss is continuous but its derivative jumps).
 *
 * <p>With step h, the forward and backward one-sided differences {@code f = (L(x+h) − L(x))/h} and
 * {@code b = (L(x) − L(x−h))/h} and the central difference {@code c = (f + b)/2}: where the loss is smooth on
 * {@code [x−h, x+h]}, {@code f − b ≈ h·L''}, tiny; where a kink lies inside, the central difference is off by
 * exactly {@code |f − b| / 2} for piecewise-linear pieces. With κ a bound on {@code |L''|} near the point (see
 * {@link #curvatureBound}) and {@code τ = 1e-4·|g| + 1e-8·(1 + Σ w|l|)}, a point whose {@code |f − b|} exceeds
 * {@code τ + 2hκ} is a kink (skipped); any undetected kink costs at most {@code τ/2 + hκ}, which the comparison
 * {@code |c − g| ≤ τ + hκ} allows for.
 */
public final class FiniteDifferences {

    /** The step: small truncation error ({@code h²·L'''/6}), rounding {@code ≈ 1e-16·|L|/h}. */
    public static final double STEP = 1e-5;

    /** Relative tolerance between the central difference and the analytic gradient. */
    public static final double RELATIVE = 1e-4;

    /** Floor of the tolerance, as a fraction of the loss's scale ({@code 1 + Σ w |l|}), for rounding. */
    public static final double ABSOLUTE = 1e-8;

    private FiniteDifferences() {
    }

    /** The outcome at one point. */
    public enum Outcome {
        /** The central difference matches the gradient. */
        AGREES,
        /** The central difference does not match the gradient. */
        DISAGREES,
        /** The one-sided differences disagree: a kink lies within h; not checked. */
        KINK
    }

    /**
     * One point's finite differences.
     *
     * @param outcome  whether it was checked and agreed
     * @param central  the central difference
     * @param forward  the forward difference
     * @param backward the backward difference
     * @param gradient the analytic gradient it was compared with
     * @param allowed  the tolerance used
     */
    public record Check(Outcome outcome, double central, double forward, double backward, double gradient,
                        double allowed) {
    }

    /**
     * Checks one entry of the gradient.
     *
     * @param loss     the loss as a function of {@code logpNew} (it must not keep or write its argument)
     * @param logpNew  the point, {@code [N][T]}; not written
     * @param i        row
     * @param j        column
     * @param gradient  the analytic ∂loss/∂logpNew[i][j]
     * @param scale     the loss's magnitude {@code Σ w |l|}, for the rounding floor
     * @param curvature a bound on {@code |∂²loss/∂logpNew[i][j]²|} where the loss is smooth near the point
     * @return the differences and the verdict
     */
    public static Check check(ToDoubleFunction<double[][]> loss, double[][] logpNew, int i, int j, double gradient,
                              double scale, double curvature) {
        double h = STEP;
        double[][] x = Matrices.deepCopy(logpNew);
        double l0 = loss.applyAsDouble(x);
        x[i][j] = logpNew[i][j] + h;
        double lPlus = loss.applyAsDouble(x);
        x[i][j] = logpNew[i][j] - h;
        double lMinus = loss.applyAsDouble(x);
        double forward = (lPlus - l0) / h;
        double backward = (l0 - lMinus) / h;
        double central = (lPlus - lMinus) / (2 * h);
        double tau = RELATIVE * Math.abs(gradient) + ABSOLUTE * (1 + scale);
        double allowed = tau + h * curvature;
        Outcome outcome;
        if (Math.abs(forward - backward) > tau + 2 * h * curvature) {
            outcome = Outcome.KINK;
        } else if (Math.abs(central - gradient) <= allowed) {
            outcome = Outcome.AGREES;
        } else {
            outcome = Outcome.DISAGREES;
        }
        return new Check(outcome, central, forward, backward, gradient, allowed);
    }

    /**
     * Whether the loss holds a stop-gradient weight of the ratio (CISPO's {@code sg(min(ρ, ε_max))}, VESPO's
     * {@code sg(φ)}): its gradient is then the derivative of the loss with that weight held fixed, which a finite
     * difference sees when logpOld moves with logpNew (the ratio, and so the weight, stay put).
     *
     * @param c the configuration
     * @return {@code true} for CISPO and VESPO
     */
    public static boolean isFrozen(org.grpo4j.GrpoConfig c) {
        return c.policyLoss() == org.grpo4j.PolicyLoss.CISPO || c.policyLoss() == org.grpo4j.PolicyLoss.VESPO;
    }

    /**
     * A bound on {@code |∂²loss/∂logpNew[i][j]²|} on the smooth pieces around the point, from the reference's
     * per-token quantities (10% margin for the step): the unclipped surrogate {@code −ρA} has second derivative
     * {@code −ρA} in u = log ρ (divided by {@code L_i²} and summed over the row for sequence ratios), and the KL
     * estimators have {@code k'' = 0, 1, e^d} (K1, K2, K3), weighted by β.
     *
     * @param ref the reference result at the point
     * @param c   the case
     * @param i   row
     * @param j   column
     * @return κ ≥ 0
     */
    public static double curvatureBound(ReferenceGrpoObjective.Result ref, ObjectiveCase c, int i, int j) {
        double a = Math.abs(ref.advantages()[i]);
        double policy;
        org.grpo4j.PolicyLoss loss = c.config().policyLoss();
        double l = Math.max(1, c.activeLength(i));
        if (loss == org.grpo4j.PolicyLoss.CISPO || loss == org.grpo4j.PolicyLoss.GPG
                || loss == org.grpo4j.PolicyLoss.VESPO) {
            policy = 0;                                     // linear in ℓ once the weight is held (see isFrozen)
        } else if (loss == org.grpo4j.PolicyLoss.GMPO) {
            double rowWeight = 0;
            for (int s = 0; s < c.t(); s++) {
                rowWeight += ref.weight()[i][s];
            }
            policy = rowWeight * Math.abs(ref.tokenPolicy()[i][j]) / (l * l);   // |p| = |A| ρ_geo
        } else if (loss == org.grpo4j.PolicyLoss.SAPO) {
            // |d²p/du²| = |A| |d/du (4σ(1 − σ)ρ)| ≤ |A| ρ (1 + τρ), with 4σ(1 − σ) ≤ 1
            double tau = ref.advantages()[i] > 0 ? c.config().policyLossParameters().sapoTemperaturePositive()
                    : c.config().policyLossParameters().sapoTemperatureNegative();
            if (c.config().importanceLevel() == org.grpo4j.ImportanceLevel.TOKEN) {
                double r = ref.ratio()[i][j];
                policy = ref.weight()[i][j] * a * r * (1 + tau * r);
            } else {
                double sum = 0;
                for (int s = 0; s < c.t(); s++) {
                    double r = ref.ratio()[i][s];
                    sum += ref.weight()[i][s] * a * r * (1 + tau * r);
                }
                policy = sum / (l * l);
            }
        } else if (c.config().importanceLevel() == org.grpo4j.ImportanceLevel.TOKEN) {
            policy = ref.weight()[i][j] * ref.ratio()[i][j] * a;
        } else {
            double sum = 0;
            for (int s = 0; s < c.t(); s++) {
                sum += ref.weight()[i][s] * ref.ratio()[i][s] * a;
            }
            policy = sum / (l * l);
        }
        double kl = 0;
        if (c.logpRef() != null && c.config().beta() > 0) {
            double b = ReferenceGrpoObjective.LOG_RATIO_BOUND;
            double d = Math.max(-b, Math.min(b, c.mask()[i][j] * (c.logpRef()[i][j] - c.logpNew()[i][j])));
            kl = c.config().beta() * ref.weight()[i][j] * switch (c.config().klEstimator()) {
                case K1 -> 0.0;
                case K2 -> 1.0;
                case K3 -> Math.exp(d);
            };
        }
        return 1.1 * (policy + kl);
    }
}
