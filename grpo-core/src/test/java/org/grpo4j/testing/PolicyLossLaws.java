package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.PolicyLoss;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The laws of the policy losses other than the clipped surrogate ({@link PolicyLoss}; docs/objective.md, section
 * 3), which {@link GrpoObjectiveLaws} samples only now and then: every case here has a non-default loss.
 * <ul>
 *   <li>(b′) the gradient matches central finite differences (CISPO and VESPO: with logpOld moved along, so that
 *       their stop-gradient weight is held, see {@link FiniteDifferences#isFrozen});</li>
 *   <li>(d′) on-policy every loss's policy gradient is the plain policy gradient {@code −A w} (SAPO's gate has
 *       slope 1 at ρ = 1, CISPO's weight is min(1, ε_max) = 1, GMPO's and VESPO's weights are 1, KL-Cov's
 *       {@code κ|u|} has slope sign(0) = 0), except the tokens Clip-Cov cuts, which get 0;</li>
 *   <li>(f′) the trust region of each loss at β = 0 with token ratios: SAPO, CISPO and GPG give every token with
 *       A ≠ 0 a gradient of sign −sign(A), VESPO too or 0 (its weight may underflow), GMPO gives 0 to a token
 *       whose log-ratio is clipped in the direction of its advantage and −sign(A) to the others, Clip-Cov 0 to
 *       clipped and cut tokens and −sign(A) to the others, KL-Cov −sign(A) to the tokens it does not penalise.</li>
 * </ul>
 */
public interface PolicyLossLaws {

    /**
     * The objective under test.
     *
     * @return the objective
     */
    GrpoObjective objective();

    /** @return full cases (logpOld and logpRef present) for the non-default policy losses, every other option */
    @Provide
    default Arbitrary<ObjectiveCase> otherLossCases() {
        return ObjectiveArbitraries.fullCases(ObjectiveArbitraries.configs(otherLossVariants(false)));
    }

    /** @return full cases for the non-default policy losses with β = 0 and token ratios */
    @Provide
    default Arbitrary<ObjectiveCase> otherLossCasesWithoutKl() {
        return ObjectiveArbitraries.fullCases(ObjectiveArbitraries.configs(otherLossVariants(true)));
    }

    /**
     * The variants with a policy loss other than CLIPPED.
     *
     * @param tokenWithoutKl only those with β = 0 and token ratios
     * @return the variants
     */
    static List<ConfigVariant> otherLossVariants(boolean tokenWithoutKl) {
        return ConfigVariant.all().stream().filter(v -> v.policyLoss() != PolicyLoss.CLIPPED)
                .filter(v -> !tokenWithoutKl || (!v.positiveBeta() && v.importance() == ImportanceLevel.TOKEN))
                .toList();
    }

    /**
     * (b′) Central finite differences of the loss match the gradient at up to six active tokens and one masked
     * token (DOUBLE inputs); at least 85% of the points are checked (not within h of a kink: the clip bounds,
     * CISPO's ε_max, KL-Cov's |u| at 0, or a change of the covariance selection).
     *
     * @param c      the case
     * @param random picks the tokens
     */
    @Property(tries = 120)
    default void otherLossGradientMatchesFiniteDifferences(@ForAll("otherLossCases") ObjectiveCase c,
                                                           @ForAll Random random) {
        GrpoObjective objective = objective();
        ObjectiveResult r = objective.evaluate(c.toInput(DataType.DOUBLE), c.config());
        double[][] grad = Matrices.toMatrix(r.gradient());
        ReferenceGrpoObjective.Result ref = c.reference();
        double scale = 0;
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                scale += ref.weight()[i][j] * (Math.abs(ref.tokenPolicy()[i][j])
                        + c.config().beta() * ResultComparison.klIngredients(c, i, j));
            }
        }
        boolean frozen = FiniteDifferences.isFrozen(c.config());
        for (int[] p : points(c, random, 6)) {
            FiniteDifferences.Check check = FiniteDifferences.check(
                    x -> objective.evaluate((frozen ? c.withLogpNew(x).withLogpOld(moved(c.logpOld(), c.logpNew(), x))
                            : c.withLogpNew(x)).toInput(DataType.DOUBLE), c.config()).loss(),
                    c.logpNew(), p[0], p[1], grad[p[0]][p[1]], scale,
                    FiniteDifferences.curvatureBound(ref, c, p[0], p[1]));
            Statistics.label("finite differences").collect(check.outcome());
            Statistics.label("policy loss").collect(c.config().policyLoss());
            if (check.outcome() == FiniteDifferences.Outcome.DISAGREES) {
                fail(c.config().policyLoss() + ": d loss / d logpNew[" + p[0] + ", " + p[1] + "]: " + check + "\n"
                        + c);
            }
        }
        Statistics.label("finite differences").coverage(cov -> {
            cov.check(FiniteDifferences.Outcome.AGREES).percentage(pct -> pct >= 85);
            cov.check(FiniteDifferences.Outcome.DISAGREES).count(k -> k == 0);
        });
    }

    /**
     * (d′) On-policy (logpOld = logpNew) with β = 0, the gradient of every active token is {@code −A_i w_it},
     * the REINFORCE gradient, for every loss, except the tokens Clip-Cov cuts (exactly 0).
     *
     * @param c the case (made on-policy, β set to 0)
     */
    @Property(tries = 100)
    default void onPolicyEveryLossGivesThePlainPolicyGradient(@ForAll("otherLossCases") ObjectiveCase c) {
        GrpoConfig config = c.config().toBuilder().beta(0).build();
        ObjectiveCase on = c.withConfig(config).withLogpOld(Matrices.deepCopy(c.logpNew()));
        ReferenceGrpoObjective.Result ref = on.reference();
        double[][] g = Matrices.toMatrix(objective().evaluate(on.toInput(DataType.DOUBLE), config).gradient());
        double scale = Matrices.maxAbs(ref.weight()) * maxAbs(ref.advantages());
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                if (c.mask()[i][j] == 0) {
                    continue;
                }
                double expected = config.policyLoss() == PolicyLoss.CLIP_COV && ref.covSelected()[i][j] ? 0
                        : -ref.advantages()[i] * ref.weight()[i][j];
                assertEquals(expected, g[i][j], 1e-12 * (1e-300 + scale), config.policyLoss() + " gradient[" + i
                        + ", " + j + "] on-policy\n" + on);
            }
        }
        Statistics.label("policy loss").collect(config.policyLoss());
    }

    /**
     * (f′) The trust region of each loss, at β = 0 with token ratios (DOUBLE inputs); tokens within 1e-9 of a kink
     * of their loss are not judged.
     *
     * @param c the case
     */
    @Property(tries = 150)
    default void otherLossGradientSignsFollowTheirTrustRegion(@ForAll("otherLossCasesWithoutKl") ObjectiveCase c) {
        GrpoConfig config = c.config();
        ObjectiveResult r = objective().evaluate(c.toInput(DataType.DOUBLE), config);
        ReferenceGrpoObjective.Result ref = c.reference();
        double[][] g = Matrices.toMatrix(r.gradient());
        double[] a = Matrices.toVector(r.advantages());
        int zero = 0;
        int signed = 0;
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                if (c.mask()[i][j] == 0 || a[i] == 0) {
                    continue;
                }
                double u = c.logpNew()[i][j] - c.logpOld()[i][j];
                double rho = Math.exp(u);
                if (ResultComparison.nearKink(rho, a[i], config, 1e-9)) {
                    continue;
                }
                String where = config.policyLoss() + " token [" + i + ", " + j + "], log-ratio " + u
                        + ", advantage " + a[i] + ", gradient " + g[i][j] + "\n" + c;
                boolean mustBeZero = switch (config.policyLoss()) {
                    case GMPO -> a[i] > 0 ? u > config.epsilonHigh() : u < -config.epsilonLow();
                    case CLIP_COV -> ref.covSelected()[i][j] || (a[i] > 0 && rho > 1 + config.epsilonHigh())
                            || (a[i] < 0 && rho < 1 - config.epsilonLow());
                    default -> false;
                };
                if (config.policyLoss() == PolicyLoss.KL_COV && ref.covSelected()[i][j]) {
                    continue;                                      // −Aρ + κ sign(u): no sign to expect
                }
                if (mustBeZero) {
                    zero++;
                    assertEquals(0.0, g[i][j], 0.0, "gradient of a clipped or cut " + where);
                } else if (config.policyLoss() == PolicyLoss.VESPO) {
                    signed++;
                    assertTrue(g[i][j] * a[i] <= 0, "gradient against −sign(A) for " + where);
                } else {
                    signed++;
                    assertTrue(g[i][j] != 0 && Math.signum(g[i][j]) == -Math.signum(a[i]),
                            "gradient not of sign −sign(A) for " + where);
                }
            }
        }
        Statistics.label("policy loss").collect(config.policyLoss());
        Statistics.label("has zero-gradient tokens").collect(zero > 0);
        Statistics.label("has signed tokens").collect(signed > 0);
        Statistics.label("has zero-gradient tokens").coverage(cov -> cov.check(true).percentage(p -> p >= 3));
    }

    // ----------------------------------------------------------------------------------------------- helpers

    /* old + (x − base), entry by entry: logpOld moved as logpNew was. */
    private static double[][] moved(double[][] old, double[][] base, double[][] x) {
        double[][] m = Matrices.deepCopy(old);
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] += x[i][j] - base[i][j];
            }
        }
        return m;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /* Up to `active` random active tokens and one random masked token. */
    private static List<int[]> points(ObjectiveCase c, Random random, int active) {
        List<int[]> on = new ArrayList<>();
        List<int[]> off = new ArrayList<>();
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                (c.mask()[i][j] == 1 ? on : off).add(new int[] {i, j});
            }
        }
        Collections.shuffle(on, random);
        List<int[]> points = new ArrayList<>(on.subList(0, Math.min(active, on.size())));
        if (!off.isEmpty()) {
            points.add(off.get(random.nextInt(off.size())));
        }
        return points;
    }
}
