package org.grpo4j.theory;

import static net.jqwik.api.Tuple.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.testing.TheoryArbitraries;

/**
 * Suite 5 of {@code docs/theory.md}: the closed-form optimum {@code pi* = pi_ref · exp(r/β) / Z} maximises
 * {@code F(pi) = E_pi[r] − β·KL(pi‖pi_ref)} over the simplex, with {@code F(pi*) − F(pi) = β·KL(pi‖pi*)} for every
 * pi; the reverse-KL optimum maximises {@code E_pi[r] − β·KL(pi_ref‖pi)}; both keep the base support and the base
 * ratios within a reward class. Distributions come from {@link TheoryArbitraries#generalRows}: outputs outside the
 * support, binary, three-valued, continuous and constant rewards.
 */
class KlRegularizedOptimumProperties {

    /** A problem: reference, rewards and a competitor distribution over the same K outputs. */
    record Problem(double[] reference, double[] rewards, double[] other) {
    }

    @Provide
    Arbitrary<Problem> problems() {
        return Arbitraries.integers().between(1, TheoryArbitraries.MAX_OUTPUTS).flatMap(k -> Combinators.combine(
                TheoryArbitraries.generalRows(k), TheoryArbitraries.generalRows(k), Arbitraries.of(true, false))
                .flatAs((a, b, sameSupport) -> sameSupport
                        ? TheoryArbitraries.perturbed(a[0]).map(p -> new Problem(a[0], a[1], p))
                        : Arbitraries.just(new Problem(a[0], a[1], b[0]))));
    }

    @Provide
    Arbitrary<Double> betas() {
        return Arbitraries.frequencyOf(of(1, Arbitraries.doubles().between(1e-3, 0.05)),
                of(3, Arbitraries.doubles().between(0.05, 2)), of(1, Arbitraries.doubles().between(2, 50)));
    }

    /**
     * {@code F(pi*) − F(pi) = β·KL(pi‖pi*) ≥ 0} for every competitor pi (both sides +∞ when pi leaves the support).
     *
     * @param problem the problem
     * @param beta    β
     */
    @Property(tries = 300)
    void theGapToTheOptimumIsBetaTimesTheKlToIt(@ForAll("problems") Problem problem, @ForAll("betas") double beta) {
        double[] opt = KlRegularizedOptimum.forwardKl(problem.reference(), problem.rewards(), beta);
        double best = KlRegularizedOptimum.forwardObjective(opt, problem.reference(), problem.rewards(), beta);
        double other = KlRegularizedOptimum.forwardObjective(problem.other(), problem.reference(), problem.rewards(),
                beta);
        double gap = beta * KlRegularizedOptimum.kl(problem.other(), opt);
        boolean outside = outsideSupport(problem.other(), problem.reference());
        if (outside) {
            assertEquals(Double.NEGATIVE_INFINITY, other);
            assertEquals(Double.POSITIVE_INFINITY, gap);
        } else {
            double scale = 1 + Math.abs(best) + Math.abs(other);
            assertEquals(gap, best - other, 1e-9 * scale, () -> "F(pi*) − F(pi) ≠ β·KL(pi‖pi*) for " + problem);
            assertTrue(gap >= 0);
        }
        Statistics.label("competitor leaves the support").collect(outside);
        Statistics.label("reference has outputs outside its support").collect(zeros(problem.reference()) > 0);
        Statistics.label("competitor leaves the support").coverage(cov -> cov.check(true).percentage(p -> p >= 10));
    }

    /**
     * No move {@code pi* + t·d} inside the simplex (d summing to 0 on the support) improves F.
     *
     * @param problem the problem (its competitor is used as the direction's source)
     * @param beta    β
     * @param t       the step as a fraction of the largest feasible one
     */
    @Property(tries = 300)
    void noPerturbationInsideTheSimplexImprovesTheOptimum(@ForAll("problems") Problem problem,
                                                          @ForAll("betas") double beta,
                                                          @ForAll @DoubleRange(min = 1e-6, max = 1) double t) {
        double[] opt = KlRegularizedOptimum.forwardKl(problem.reference(), problem.rewards(), beta);
        double[] moved = towards(opt, restrictTo(problem.other(), problem.reference()), t);
        double best = KlRegularizedOptimum.forwardObjective(opt, problem.reference(), problem.rewards(), beta);
        double value = KlRegularizedOptimum.forwardObjective(moved, problem.reference(), problem.rewards(), beta);
        assertTrue(value <= best + 1e-12 * (1 + Math.abs(best)), () -> "F rose from " + best + " to " + value);
    }

    /**
     * The reverse-KL optimum maximises {@code R(pi) = E_pi[r] − β·KL(pi_ref‖pi)}: no competitor (covering the
     * support, or not: then R = −∞) and no move inside the simplex does better, and it satisfies its stationarity
     * condition {@code pi_j (ν − r_j/β) = pi_ref_j} with {@code ν = 1 + E_pi[r]/β}.
     *
     * @param problem the problem
     * @param beta    β
     * @param t       the step towards the competitor
     */
    @Property(tries = 300)
    void theReverseOptimumMaximisesTheReverseObjective(@ForAll("problems") Problem problem,
                                                       @ForAll("betas") double beta,
                                                       @ForAll @DoubleRange(min = 1e-6, max = 1) double t) {
        double[] ref = problem.reference();
        double[] r = problem.rewards();
        double[] opt = KlRegularizedOptimum.reverseKl(ref, r, beta);
        double best = KlRegularizedOptimum.reverseObjective(opt, ref, r, beta);
        double other = KlRegularizedOptimum.reverseObjective(problem.other(), ref, r, beta);
        double moved = KlRegularizedOptimum.reverseObjective(towards(opt, problem.other(), t), ref, r, beta);
        double tol = 1e-12 * (1 + Math.abs(best));
        assertTrue(other <= best + tol, () -> "a competitor beats the reverse optimum: " + other + " > " + best);
        assertTrue(moved <= best + tol, () -> "a move beats the reverse optimum: " + moved + " > " + best);
        double nu = 1 + KlRegularizedOptimum.expectation(opt, r) / beta;
        for (int j = 0; j < ref.length; j++) {
            if (ref[j] > 0) {
                double roundingScale = opt[j] * (Math.abs(nu) + Math.abs(r[j]) / beta);
                assertEquals(ref[j], opt[j] * (nu - r[j] / beta), 1e-9 * roundingScale + 1e-15,
                        "stationarity at output " + j);
            }
        }
    }

    /**
     * Both optima put mass exactly where pi_ref does, and keep {@code pi_j / pi_j'} equal to
     * {@code pi_ref_j / pi_ref_j'} whenever {@code r_j = r_j'}: reweighting by reward, never reshaping a class.
     *
     * @param problem the problem
     * @param beta    β
     */
    @Property(tries = 300)
    void optimaKeepTheSupportAndTheRatiosWithinARewardClass(@ForAll("problems") Problem problem,
                                                            @ForAll("betas") double beta) {
        double[] ref = problem.reference();
        double[] r = problem.rewards();
        boolean sharedClass = false;
        for (double[] opt : new double[][] {KlRegularizedOptimum.forwardKl(ref, r, beta),
                KlRegularizedOptimum.reverseKl(ref, r, beta)}) {
            for (int j = 0; j < ref.length; j++) {
                assertEquals(ref[j] == 0, opt[j] == 0, "support at output " + j);
                for (int k = j + 1; k < ref.length; k++) {
                    if (ref[j] > 0 && ref[k] > 0 && r[j] == r[k]) {
                        assertEquals(ref[j] / ref[k], opt[j] / opt[k], 1e-9 * ref[j] / ref[k]);
                        sharedClass = true;
                    }
                }
            }
        }
        Statistics.label("two outputs share a reward").collect(sharedClass);
        Statistics.label("two outputs share a reward").coverage(cov -> cov.check(true).percentage(p -> p >= 20));
    }

    // --------------------------------------------------------------------------------------------------- helpers

    private static boolean outsideSupport(double[] p, double[] reference) {
        for (int j = 0; j < p.length; j++) {
            if (p[j] > 0 && reference[j] == 0) {
                return true;
            }
        }
        return false;
    }

    private static int zeros(double[] p) {
        int n = 0;
        for (double v : p) {
            n += v == 0 ? 1 : 0;
        }
        return n;
    }

    /** p restricted to the reference's support and renormalised (the reference itself if nothing is left). */
    private static double[] restrictTo(double[] p, double[] reference) {
        double[] q = new double[p.length];
        double s = 0;
        for (int j = 0; j < p.length; j++) {
            q[j] = reference[j] > 0 ? p[j] : 0;
            s += q[j];
        }
        if (s == 0) {
            return reference.clone();
        }
        for (int j = 0; j < p.length; j++) {
            q[j] /= s;
        }
        return q;
    }

    /** {@code (1 − t)·a + t·b}, renormalised against rounding. */
    private static double[] towards(double[] a, double[] b, double t) {
        double[] m = new double[a.length];
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            m[j] = (1 - t) * a[j] + t * b[j];
            s += m[j];
        }
        for (int j = 0; j < a.length; j++) {
            m[j] /= s;
        }
        return m;
    }
}
