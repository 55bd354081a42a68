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
import net.jqwik.api.constraints.Scale;
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
        @Override
        public String toString() {
            return "Problem[reference=" + java.util.Arrays.toString(reference) + ", rewards="
                    + java.util.Arrays.toString(rewards) + ", other=" + java.util.Arrays.toString(other) + "]";
        }
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
        return Arbitraries.frequencyOf(of(1, Arbitraries.doubles().between(1e-3, 0.05).ofScale(6)),
                of(3, Arbitraries.doubles().between(0.05, 2).ofScale(6)), of(1, Arbitraries.doubles().between(2, 50).ofScale(4)));
    }

    /**
     * {@code F(pi*) − F(pi) = β·KL(pi‖pi*) ≥ 0} for every competitor pi (both sides +∞ when pi leaves the support).
     * The KL is computed here in log space from {@code log pi*_j = log pi_ref_j + r_j/β − log Z}, so the identity
     * holds also where pi*_j underflows to 0 for a tiny β.
     *
     * @param problem the problem
     * @param beta    β
     */
    @Property(tries = 300)
    void theGapToTheOptimumIsBetaTimesTheKlToIt(@ForAll("problems") Problem problem, @ForAll("betas") double beta) {
        double[] ref = problem.reference();
        double[] r = problem.rewards();
        double[] opt = KlRegularizedOptimum.forwardKl(ref, r, beta);
        double best = KlRegularizedOptimum.forwardObjective(opt, ref, r, beta);
        double other = KlRegularizedOptimum.forwardObjective(problem.other(), ref, r, beta);
        boolean outside = outsideSupport(problem.other(), ref);
        if (outside) {
            assertEquals(Double.NEGATIVE_INFINITY, other);
            assertEquals(Double.POSITIVE_INFINITY, KlRegularizedOptimum.kl(problem.other(), opt));
        } else {
            double gap = beta * klToOptimum(problem.other(), ref, r, beta);
            double scale = 1 + Math.abs(best) + Math.abs(other);
            assertEquals(gap, best - other, 1e-9 * scale, () -> "F(pi*) − F(pi) ≠ β·KL(pi‖pi*) for " + problem);
            assertTrue(best - other >= -1e-12 * scale);
        }
        Statistics.label("competitor leaves the support").collect(outside);
        Statistics.label("reference has outputs outside its support").collect(zeros(ref) > 0);
        Statistics.label("competitor leaves the support").coverage(cov -> cov.check(true).percentage(p -> p >= 4));
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
                                                          @ForAll @DoubleRange(min = 1e-6, max = 1) @Scale(8) double t) {
        double[] opt = KlRegularizedOptimum.forwardKl(problem.reference(), problem.rewards(), beta);
        double[] moved = towards(opt, restrictTo(problem.other(), problem.reference()), t);
        double best = KlRegularizedOptimum.forwardObjective(opt, problem.reference(), problem.rewards(), beta);
        double value = KlRegularizedOptimum.forwardObjective(moved, problem.reference(), problem.rewards(), beta);
        assertTrue(value <= best + 1e-12 * (1 + Math.abs(best)), () -> "F rose from " + best + " to " + value);
    }

    /**
     * The reverse-KL optimum maximises {@code R(pi) = E_pi[r] − β·KL(pi_ref‖pi)} over the distributions on pi_ref's
     * support (where GRPO's iterates stay): no competitor restricted to the support and no move inside it does
     * better, and it satisfies its stationarity condition {@code pi_j (ν − r_j/β) = pi_ref_j} with
     * {@code ν = 1 + E_pi[r]/β}.
     *
     * @param problem the problem
     * @param beta    β
     * @param t       the step towards the competitor
     */
    @Property(tries = 300)
    void theReverseOptimumMaximisesTheReverseObjectiveOnTheSupport(@ForAll("problems") Problem problem,
                                                                   @ForAll("betas") double beta,
                                                                   @ForAll @DoubleRange(min = 1e-6, max = 1) @Scale(8)
                                                                   double t) {
        double[] ref = problem.reference();
        double[] r = problem.rewards();
        double[] opt = KlRegularizedOptimum.reverseKl(ref, r, beta);
        double[] competitor = restrictTo(problem.other(), ref);
        double best = KlRegularizedOptimum.reverseObjective(opt, ref, r, beta);
        double other = KlRegularizedOptimum.reverseObjective(competitor, ref, r, beta);
        double moved = KlRegularizedOptimum.reverseObjective(towards(opt, competitor, t), ref, r, beta);
        double tol = 1e-12 * (1 + Math.abs(best));
        assertTrue(other <= best + tol, () -> "a competitor beats the reverse optimum: " + other + " > " + best);
        assertTrue(moved <= best + tol, () -> "a move beats the reverse optimum: " + moved + " > " + best + " at t = " + t
                + ", beta " + beta + ", optimum " + java.util.Arrays.toString(opt) + ", " + problem);
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
     * Where the idealised k3 objective departs from GRPO: {@code KL(pi_ref‖pi)} does not forbid mass outside
     * pi_ref's support, so moving a small mass t from the support-restricted optimum onto an output j outside it
     * changes R by {@code t (r_j − E_pi*[r] − β) + O(t²)} — an improvement whenever {@code r_j > E_pi*[r] + β}.
     * GRPO cannot make that move (it never samples j and j's logit gets no gradient), so its k3 fixed point is the
     * support-restricted optimum, not the unrestricted one.
     *
     * @param problem the problem
     * @param beta    β
     */
    @Property(tries = 300)
    void leavingTheSupportImprovesTheReverseObjectiveExactlyWhenAnOutsideRewardBeatsTheMeanPlusBeta(
            @ForAll("problems") Problem problem, @ForAll("betas") double beta) {
        double[] ref = problem.reference();
        double[] r = problem.rewards();
        double[] opt = KlRegularizedOptimum.reverseKl(ref, r, beta);
        double mean = KlRegularizedOptimum.expectation(opt, r);
        double best = KlRegularizedOptimum.reverseObjective(opt, ref, r, beta);
        boolean anyOutside = false;
        for (int j = 0; j < ref.length; j++) {
            double margin = r[j] - mean - beta;
            if (ref[j] > 0 || Math.abs(margin) < 1e-3) {
                continue;
            }
            anyOutside = true;
            double t = 1e-7;
            double[] moved = towards(opt, unit(ref.length, j), t);
            double change = KlRegularizedOptimum.reverseObjective(moved, ref, r, beta) - best;
            double predicted = t * margin + beta * (Math.log1p(-t) + t);
            assertEquals(predicted, change, 1e-3 * Math.abs(t * margin) + 1e-12 * (1 + Math.abs(best)),
                    "moving " + t + " onto output " + j + " outside the support");
            Statistics.label("leaving the support improves R").collect(margin > 0);
        }
        Statistics.label("an output outside the support").collect(anyOutside);
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
                if (ref[j] == 0) {
                    assertEquals(0.0, opt[j], "output " + j + " is outside the support");
                } else {
                    int jj = j;
                    assertTrue(opt[j] > 0 || logForwardOptimum(ref, r, beta, j) < -740,
                            () -> "output " + jj + " lost its mass without underflow");
                }
                for (int k = j + 1; k < ref.length; k++) {
                    // subnormal masses (e^(−1/β) for small β) keep an absolute, not a relative, precision
                    if (ref[j] > 0 && ref[k] > 0 && r[j] == r[k] && opt[j] >= Double.MIN_NORMAL
                            && opt[k] >= Double.MIN_NORMAL) {
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

    /** {@code log pi*_j = log pi_ref_j + r_j/β − log Σ_i pi_ref_i exp(r_i/β)}, shifted by the largest exponent. */
    private static double logForwardOptimum(double[] ref, double[] r, double beta, int j) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] > 0) {
                max = Math.max(max, Math.log(ref[i]) + r[i] / beta);
            }
        }
        double z = 0;
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] > 0) {
                z += Math.exp(Math.log(ref[i]) + r[i] / beta - max);
            }
        }
        return Math.log(ref[j]) + r[j] / beta - max - Math.log(z);
    }

    /** {@code KL(pi‖pi*) = Σ pi_j (log pi_j − log pi*_j)} in log space; pi must lie in pi_ref's support. */
    private static double klToOptimum(double[] pi, double[] ref, double[] r, double beta) {
        double d = 0;
        for (int j = 0; j < pi.length; j++) {
            if (pi[j] > 0) {
                d += pi[j] * (Math.log(pi[j]) - logForwardOptimum(ref, r, beta, j));
            }
        }
        return d;
    }

    private static double[] unit(int k, int j) {
        double[] e = new double[k];
        e[j] = 1;
        return e;
    }

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
