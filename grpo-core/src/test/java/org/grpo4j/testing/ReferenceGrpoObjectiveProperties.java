package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.GrpoObjective;

/**
 * Runs the laws that do not need a reference (finite differences, advantages, on-policy, masks, trust region, no
 * mutation) on {@link ReferenceGrpoObjective} itself, so that the oracle of {@link GrpoObjectiveContract} is
 * checked independently of the implementation it judges. On the pure {@code double[][]} API it also checks the
 * gradient against finite differences at every token. {@link PolicyLossLaws} checks the other policy losses
 * of the reference the same way.
 */
class ReferenceGrpoObjectiveProperties implements GrpoObjectiveLaws, PolicyLossLaws {

    @Override
    public GrpoObjective objective() {
        return ReferenceGrpoObjective.create();
    }

    /**
     * (b) on the pure API: central finite differences match the reference's gradient at every token, masked
     * ones included (where both are 0); at least 95% of the points are checked (not within h of a kink).
     *
     * @param c the case
     */
    @Property(tries = 40)
    void referenceGradientMatchesFiniteDifferencesAtEveryToken(@ForAll("fullCases") ObjectiveCase c) {
        ReferenceGrpoObjective.Result ref = c.reference();
        double scale = 0;
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                scale += ref.weight()[i][j] * (Math.abs(ref.tokenPolicy()[i][j])
                        + c.config().beta() * ResultComparison.klIngredients(c, i, j));
            }
        }
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                boolean frozen = FiniteDifferences.isFrozen(c.config());
                FiniteDifferences.Check check = FiniteDifferences.check(
                        x -> ReferenceGrpoObjective.evaluate(c.rewards(), x,
                                frozen ? movedWith(c.logpOld(), c.logpNew(), x) : c.logpOld(), c.logpRef(), c.mask(),
                                c.config()).loss(),
                        c.logpNew(), i, j, ref.gradient()[i][j], scale,
                        FiniteDifferences.curvatureBound(ref, c, i, j));
                Statistics.label("reference finite differences").collect(check.outcome());
                if (check.outcome() == FiniteDifferences.Outcome.DISAGREES) {
                    fail("reference d loss / d logpNew[" + i + ", " + j + "]: " + check + "\n" + c);
                }
            }
        }
        Statistics.label("reference finite differences").coverage(
                cov -> cov.check(FiniteDifferences.Outcome.AGREES).percentage(p -> p >= 95));
    }

    /* old + (x − base): logpOld moved with logpNew, holding CISPO's and VESPO's stop-gradient weights. */
    private static double[][] movedWith(double[][] old, double[][] base, double[][] x) {
        double[][] m = Matrices.deepCopy(old);
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] += x[i][j] - base[i][j];
            }
        }
        return m;
    }
}
