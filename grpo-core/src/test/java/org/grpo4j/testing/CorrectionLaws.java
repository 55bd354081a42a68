package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.GrpoConfig;
import org.grpo4j.PolicyLoss;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMetrics;
import org.grpo4j.correction.CorrectionMode;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The laws of the per-token corrections ({@code docs/objective.md}, "Rollout correction", "Entropy masking"),
 * part of {@link GrpoObjectiveLaws}:
 * <ul>
 *   <li>(h1) the gradient matches central finite differences with every correction on (DOUBLE);</li>
 *   <li>(h2) switched off, the corrections change nothing, whatever optional arrays are given;</li>
 *   <li>(h3) a sampler that agrees with the old policy gives importance weights of exactly 1;</li>
 *   <li>(h4) the entropy mask keeps a set closed upwards in entropy (ties all kept), at least the top q share,
 *       and the tokens it removes get no policy gradient;</li>
 *   <li>(h5) the off-policy sequence mask removes only negative-advantage sequences, and their whole policy
 *       gradient;</li>
 *   <li>(h6) the optional arrays are never written.</li>
 * </ul>
 */
public interface CorrectionLaws {

    /**
     * The objective under test.
     *
     * @return the objective
     */
    GrpoObjective objective();

    /** @return cases with corrections ({@link CorrectionArbitraries#cases}) */
    @Provide
    default Arbitrary<CorrectedCase> correctedCases() {
        return CorrectionArbitraries.cases(false);
    }

    /** @return corrected cases with every base array present */
    @Provide
    default Arbitrary<CorrectedCase> fullCorrectedCases() {
        return CorrectionArbitraries.cases(true);
    }

    /**
     * (h1) Finite differences of the loss match the gradient at six random tokens per case, with every correction
     * (DOUBLE inputs). The curvature allowance is the second difference at step {@code 1e-3}; points where a mask
     * decision or a clip flips within the step are classified as kinks and skipped; 85% must be checked.
     *
     * @param c      the case
     * @param random picks the tokens
     */
    @Property(tries = 60)
    default void correctedGradientMatchesFiniteDifferences(@ForAll("fullCorrectedCases") CorrectedCase c,
                                                           @ForAll Random random) {
        GrpoObjective objective = objective();
        // CISPO's and VESPO's stop-gradient weights of the ratio are invisible to a finite difference in logpNew
        // alone (PolicyLossLaws checks them with logpOld moving along): here the clipped surrogate stands in
        GrpoConfig config = FiniteDifferences.isFrozen(c.config())
                ? c.config().toBuilder().policyLoss(PolicyLoss.CLIPPED).build() : c.config();
        CorrectedCase cc = c.withConfig(config);
        ObjectiveResult r = objective.evaluate(cc.toInput(DataType.DOUBLE), config);
        double[][] grad = Matrices.toMatrix(r.gradient());
        double scale = Math.abs(r.metrics().policyLoss()) + Math.abs(r.metrics().klLoss()) + 1;
        int n = cc.base().n();
        int t = cc.base().t();
        for (int k = 0; k < 6; k++) {
            int i = random.nextInt(n);
            int j = random.nextInt(t);
            java.util.function.ToDoubleFunction<double[][]> loss =
                    x -> objective.evaluate(cc.withLogpNew(x).toInput(DataType.DOUBLE), config).loss();
            double big = 1e-3;
            double[][] x = Matrices.deepCopy(cc.base().logpNew());
            double l0 = loss.applyAsDouble(x);
            x[i][j] += big;
            double lp = loss.applyAsDouble(x);
            x[i][j] -= 2 * big;
            double lm = loss.applyAsDouble(x);
            double curvature = 4 * Math.abs(lp - 2 * l0 + lm) / (big * big) + 1e-3;
            FiniteDifferences.Check check = FiniteDifferences.check(loss, cc.base().logpNew(), i, j, grad[i][j],
                    scale, curvature);
            Statistics.label("corrected finite differences").collect(check.outcome());
            if (check.outcome() == FiniteDifferences.Outcome.DISAGREES) {
                fail("d loss / d logpNew[" + i + ", " + j + "]: gradient " + check.gradient() + ", central "
                        + check.central() + " (allowed " + check.allowed() + ")\n" + cc);
            }
        }
        Statistics.label("corrected finite differences").coverage(cov -> {
            cov.check(FiniteDifferences.Outcome.AGREES).percentage(pct -> pct >= 85);
            cov.check(FiniteDifferences.Outcome.DISAGREES).count(k -> k == 0);
        });
    }

    /**
     * (h2) With the corrections off, giving logpSampling and entropies changes nothing: loss, gradient and
     * metrics are those of the plain input, exactly.
     *
     * @param c the case (its corrections are replaced by off)
     */
    @Property(tries = 60)
    default void correctionsOffChangeNothing(@ForAll("correctedCases") CorrectedCase c) {
        GrpoConfig off = c.config().toBuilder().rolloutCorrection(RolloutCorrection.off())
                .entropyControl(EntropyControl.off()).build();
        ObjectiveResult with = objective().evaluate(c.toInput(DataType.FLOAT), off);
        ObjectiveResult without = objective().evaluate(c.base().toInput(DataType.FLOAT), off);
        assertEquals(without.loss(), with.loss(), 0.0, () -> c.toString());
        assertArrayEquals(Matrices.toVector(without.gradient().reshape(without.gradient().length())),
                Matrices.toVector(with.gradient().reshape(with.gradient().length())), 0.0);
        assertEquals(without.metrics(), with.metrics());
        assertEquals(CorrectionMetrics.none(), with.correction());
    }

    /**
     * (h3) When the sampler's log-probabilities equal the old policy's, every importance weight is exactly 1 (for
     * bounds with {@code lower ≤ 1 ≤ upper}): the result equals the uncorrected one, the ratio metrics are 1 and
     * the log-probability difference 0.
     *
     * @param c the case; its sampler is replaced by the old policy
     */
    @Property(tries = 60)
    default void samplerEqualToOldPolicyGivesUnitWeights(@ForAll("correctedCases") CorrectedCase c) {
        RolloutCorrection rc = c.config().rolloutCorrection();
        if (rc.mode() == CorrectionMode.OFF || rc.upper() < 1 || rc.lower() > 1) {
            rc = new RolloutCorrection(CorrectionMode.TRUNCATE, rc.level(), 2, 0.5, Double.POSITIVE_INFINITY, false);
        }
        rc = rc.withOffPolicyMask(Double.POSITIVE_INFINITY).withKlCorrection(false);
        GrpoConfig config = c.config().toBuilder().rolloutCorrection(rc).entropyControl(EntropyControl.off()).build();
        double[][] old = c.base().logpOld() == null ? c.base().logpNew() : c.base().logpOld();
        CorrectedCase same = new CorrectedCase(c.base().withConfig(config), old, null);
        ObjectiveResult r = objective().evaluate(same.toInput(DataType.FLOAT), config);
        ObjectiveResult plain = objective().evaluate(c.base().toInput(DataType.FLOAT), config);
        assertEquals(plain.loss(), r.loss(), 0.0);
        assertArrayEquals(Matrices.toVector(plain.gradient().reshape(plain.gradient().length())),
                Matrices.toVector(r.gradient().reshape(r.gradient().length())), 0.0);
        CorrectionMetrics m = r.correction();
        assertTrue(m.sampled());
        if (r.metrics().activeTokens() > 0) {
            assertEquals(1.0, m.importanceRatioMin(), 0.0);
            assertEquals(1.0, m.importanceRatioMean(), 1e-15);
            assertEquals(1.0, m.importanceRatioMax(), 0.0);
        }
        assertEquals(0.0, m.samplingLogpDifferenceMax(), 0.0);
    }

    /**
     * (h4) The entropy mask at β = 0 with token ratios: the kept tokens are exactly those with entropy at least a
     * threshold (so equal entropies are kept or removed together), they number at least
     * {@code L − ceil((1 − q)(L − 1))} of the L active tokens, and a removed token's gradient is exactly 0.
     *
     * @param c the case; only its entropy control is kept among the corrections
     */
    @Property(tries = 80)
    default void entropyMaskKeepsTheTopQuantileWithTies(@ForAll("correctedCases") CorrectedCase c) {
        double q = c.config().entropyControl().masksTokens() ? c.config().entropyControl().topEntropyQuantile() : 0.5;
        // GMPO's geometric mean couples a row's tokens, so a removed token still moves the kept ones' ratio:
        // the law holds for the token-local losses
        PolicyLoss loss = c.config().policyLoss() == PolicyLoss.GMPO ? PolicyLoss.CLIPPED : c.config().policyLoss();
        GrpoConfig config = c.config().toBuilder().rolloutCorrection(RolloutCorrection.off())
                .entropyControl(EntropyControl.topQuantile(q)).importanceLevel(ImportanceLevel.TOKEN).beta(0)
                .policyLoss(loss).build();
        CorrectedCase cc = c.withConfig(config);
        ObjectiveResult r = objective().evaluate(cc.toInput(DataType.FLOAT), config);
        double[][] kept = cc.reference().correctionWeight();
        double[][] grad = Matrices.toMatrix(r.gradient());
        double[][] mask = cc.base().mask();
        double[][] h = cc.entropies();
        double lowestKept = Double.POSITIVE_INFINITY;
        double highestRemoved = Double.NEGATIVE_INFINITY;
        int active = 0;
        int keptCount = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int j = 0; j < mask[i].length; j++) {
                if (mask[i][j] == 0) {
                    continue;
                }
                active++;
                if (kept[i][j] == 1) {
                    keptCount++;
                    lowestKept = Math.min(lowestKept, h[i][j]);
                } else {
                    assertEquals(0.0, kept[i][j]);
                    highestRemoved = Math.max(highestRemoved, h[i][j]);
                    assertEquals(0.0, grad[i][j], 0.0, "removed token [" + i + ", " + j + "] has a gradient");
                }
            }
        }
        assertTrue(highestRemoved < lowestKept, "kept set not closed upwards: removed " + highestRemoved
                + " ≥ kept " + lowestKept);
        if (active > 0) {
            assertTrue(keptCount >= active - Math.ceil((1 - q) * (active - 1)) - 1e-9,
                    "kept " + keptCount + " of " + active + " at q = " + q);
            assertEquals((double) (active - keptCount) / active, r.correction().entropyMaskedFraction(), 1e-12);
        }
        Statistics.label("entropy mask removes some").collect(keptCount < active);
    }

    /**
     * (h5) The off-policy sequence mask at β = 0, token ratios, no importance weight: a sequence with A ≥ 0
     * keeps its gradient, a masked one loses all of it, and every masked sequence has A &lt; 0.
     *
     * @param c the case
     */
    @Property(tries = 80)
    default void offPolicyMaskRemovesOnlyNegativeAdvantageSequences(@ForAll("correctedCases") CorrectedCase c) {
        double delta = c.config().rolloutCorrection().offPolicyMaskEnabled()
                ? c.config().rolloutCorrection().offPolicyMaskThreshold() : 0.05;
        GrpoConfig config = c.config().toBuilder()
                .rolloutCorrection(RolloutCorrection.off().withOffPolicyMask(delta))
                .entropyControl(EntropyControl.off()).importanceLevel(ImportanceLevel.TOKEN).beta(0).build();
        CorrectedCase cc = c.withConfig(config);
        GrpoConfig unmasked = config.toBuilder().rolloutCorrection(RolloutCorrection.off()).build();
        double[][] g = Matrices.toMatrix(objective().evaluate(cc.toInput(DataType.DOUBLE), config).gradient());
        double[][] g0 = Matrices.toMatrix(objective().evaluate(cc.toInput(DataType.DOUBLE), unmasked).gradient());
        ReferenceGrpoObjective.Result ref = cc.reference();
        int masked = 0;
        for (int i = 0; i < g.length; i++) {
            boolean rowMasked = ref.correctionWeight()[i][0] == 0;
            if (rowMasked) {
                masked++;
                assertTrue(ref.advantages()[i] < 0, "masked row " + i + " has advantage " + ref.advantages()[i]);
                for (double v : g[i]) {
                    assertEquals(0.0, v, 0.0);
                }
            } else {
                assertArrayEquals(g0[i], g[i], 0.0, "unmasked row " + i + " changed");
            }
        }
        Statistics.label("off-policy mask removes some").collect(masked > 0);
    }

    /**
     * (h6) Evaluation never writes logpSampling or entropies (nor the other inputs).
     *
     * @param c the case
     */
    @Property(tries = 40)
    default void correctionInputsAreNeverWritten(@ForAll("correctedCases") CorrectedCase c) {
        ObjectiveInput in = c.toInput(DataType.FLOAT);
        List<INDArray> arrays = Arrays.asList(in.logpNew(), in.logpOld(), in.logpRef(), in.mask(),
                in.logpSampling(), in.entropies());
        List<INDArray> copies = new ArrayList<>();
        for (INDArray a : arrays) {
            copies.add(a == null ? null : a.dup());
        }
        objective().evaluate(in, c.config());
        for (int k = 0; k < arrays.size(); k++) {
            if (arrays.get(k) != null) {
                assertEquals(copies.get(k), arrays.get(k), "input " + k + " was written");
            }
        }
    }

    /**
     * The corrections' metrics agree with the reference's.
     *
     * @param actual   the objective's
     * @param expected the reference's
     * @param tol      relative and absolute tolerance
     * @return the disagreements
     */
    static List<String> compareMetrics(CorrectionMetrics actual, CorrectionMetrics expected, double tol) {
        List<String> errors = new ArrayList<>();
        if (actual.sampled() != expected.sampled()) {
            errors.add("sampled " + actual.sampled() + " vs " + expected.sampled());
        }
        double[] a = {actual.importanceRatioMin(), actual.importanceRatioMean(), actual.importanceRatioMax(),
                actual.samplingLogpDifferenceMean(), actual.samplingLogpDifferenceMax(),
                actual.offPolicyMaskedFraction(), actual.entropyMaskedFraction(), actual.entropyBonus()};
        double[] e = {expected.importanceRatioMin(), expected.importanceRatioMean(), expected.importanceRatioMax(),
                expected.samplingLogpDifferenceMean(), expected.samplingLogpDifferenceMax(),
                expected.offPolicyMaskedFraction(), expected.entropyMaskedFraction(), expected.entropyBonus()};
        String[] names = {"isMin", "isMean", "isMax", "diffMean", "diffMax", "offPolicyMasked", "entropyMasked",
            "entropyBonus"};
        for (int k = 0; k < a.length; k++) {
            if (!(Math.abs(a[k] - e[k]) <= tol * (1 + Math.abs(e[k])))) {
                errors.add(names[k] + " " + a[k] + " vs reference " + e[k]);
            }
        }
        return errors;
    }

    /**
     * The entropy bonus's gradient agrees with the reference's: both absent or both present and equal entry by
     * entry within {@code tol · (1 + |x_ref|)}.
     *
     * @param actual   the objective's result
     * @param expected the reference's
     * @param tol      tolerance
     * @return the disagreements
     */
    static List<String> compareEntropyGradient(ObjectiveResult actual, ReferenceGrpoObjective.Result expected,
                                               double tol) {
        List<String> errors = new ArrayList<>();
        if ((actual.entropyGradient() == null) != (expected.entropyGradient() == null)) {
            errors.add("entropyGradient present " + (actual.entropyGradient() != null) + " vs reference "
                    + (expected.entropyGradient() != null));
            return errors;
        }
        if (actual.entropyGradient() == null) {
            return errors;
        }
        double[][] a = Matrices.toMatrix(actual.entropyGradient());
        double[][] e = expected.entropyGradient();
        for (int i = 0; i < e.length; i++) {
            for (int j = 0; j < e[i].length; j++) {
                if (!(Math.abs(a[i][j] - e[i][j]) <= tol * (1 + Math.abs(e[i][j])))) {
                    errors.add("entropyGradient[" + i + ", " + j + "] " + a[i][j] + " vs reference " + e[i][j]);
                }
            }
        }
        return errors;
    }

    /**
     * (h7) The entropy bonus's gradient with respect to the entropies matches central finite differences of the
     * loss (DOUBLE; the loss is linear in H where the entropy mask does not flip, which shows as a kink).
     *
     * @param c      the case (a bonus of 0.05 is added when it has none)
     * @param random picks the tokens
     */
    @Property(tries = 40)
    default void entropyGradientMatchesFiniteDifferences(@ForAll("correctedCases") CorrectedCase c,
                                                         @ForAll Random random) {
        EntropyControl ec = c.config().entropyControl();
        GrpoConfig config = c.config().toBuilder().entropyControl(ec.hasBonus() ? ec : ec.withCoefficient(0.05))
                .build();
        CorrectedCase cc = c.withConfig(config);
        ObjectiveResult r = objective().evaluate(cc.toInput(DataType.DOUBLE), config);
        double[][] g = Matrices.toMatrix(r.entropyGradient());
        double scale = Math.abs(r.loss()) + 1;
        for (int k = 0; k < 4; k++) {
            int i = random.nextInt(cc.base().n());
            int j = random.nextInt(cc.base().t());
            // perturb the entropies, kept ≥ 0 by starting at H + 2h where H is 0
            double[][] h0 = Matrices.deepCopy(cc.entropies());
            h0[i][j] = Math.max(h0[i][j], 2 * FiniteDifferences.STEP);
            CorrectedCase shifted = new CorrectedCase(cc.base(), cc.logpSampling(), h0);
            double[][] gs = Matrices.toMatrix(objective().evaluate(shifted.toInput(DataType.DOUBLE), config)
                    .entropyGradient());
            FiniteDifferences.Check check = FiniteDifferences.check(x -> objective().evaluate(
                            new CorrectedCase(cc.base(), cc.logpSampling(), x).toInput(DataType.DOUBLE), config).loss(),
                    h0, i, j, gs[i][j], scale, 0);
            Statistics.label("entropy finite differences").collect(check.outcome());
            if (check.outcome() == FiniteDifferences.Outcome.DISAGREES) {
                fail("d loss / d H[" + i + ", " + j + "]: gradient " + check.gradient() + ", central "
                        + check.central() + " (allowed " + check.allowed() + ")\n" + cc);
            }
        }
        Statistics.label("entropy finite differences").coverage(cov ->
                cov.check(FiniteDifferences.Outcome.DISAGREES).count(k -> k == 0));
        assertEquals(cc.base().n(), g.length);
    }

    /** @return whether a level forms one weight per sequence */
    static boolean perSequence(CorrectionLevel level) {
        return level != CorrectionLevel.TOKEN;
    }
}
