package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The laws every correct {@link GrpoObjective} obeys, checked without comparing to the reference's numbers:
 * <ul>
 *   <li>(b) the gradient matches central finite differences of the loss (DOUBLE inputs; points within h of a clip
 *       or dual-clip kink are detected by their one-sided differences disagreeing and skipped; the statistics
 *       label "finite differences" shows that nearly every point is checked);</li>
 *   <li>(c) advantages sum to 0 in every group, are invariant under shifting a group's rewards (all rewards for
 *       {@code BATCH_STD}) and, with std scaling, under scaling them by a positive constant up to the effect of
 *       ε; an all-equal group gets exactly 0;</li>
 *   <li>(d) on-policy (logpOld null or equal to logpNew) the mean ratio is 1 and nothing is clipped;</li>
 *   <li>(e) masked tokens get exactly zero gradient, the log-probabilities at masked positions (fully masked rows
 *       included) change nothing, and an all-masked batch gives loss 0, gradient 0 and finite metrics;</li>
 *   <li>(f) the trust region: at β = 0 with token ratios, a token clipped in the direction of its advantage (or
 *       capped by the dual clip) gets exactly zero gradient, and any other token with A ≠ 0 a gradient of sign
 *       −sign(A);</li>
 *   <li>(g) evaluation never writes its inputs, and its results are new arrays of the inputs' shape and type;</li>
 *   <li>(h) the per-token corrections' laws, {@link CorrectionLaws}.</li>
 * </ul>
 * Implement {@link #objective()} in a test class to run them; {@link GrpoObjectiveContract} adds the comparison
 * with {@link ReferenceGrpoObjective}. Tries are chosen so that the whole suite runs in seconds on an ND4J
 * objective.
 */
public interface GrpoObjectiveLaws extends CorrectionLaws {

    /**
     * The objective under test. Called once per try; it may return the same instance every time.
     *
     * @return the objective
     */
    @Override
    GrpoObjective objective();

    // ----------------------------------------------------------------------------------------------- providers

    /** @return any configuration with a batch for it ({@link ObjectiveArbitraries#cases()}) */
    @Provide
    default Arbitrary<ObjectiveCase> cases() {
        return ObjectiveArbitraries.cases();
    }

    /** @return cases with logpOld and logpRef present and derived advantages */
    @Provide
    default Arbitrary<ObjectiveCase> fullCases() {
        return ObjectiveArbitraries.fullCases(ObjectiveArbitraries.configs());
    }

    /** @return full cases whose configuration has β = 0, token-level ratios and the clipped surrogate */
    @Provide
    default Arbitrary<ObjectiveCase> tokenLevelCasesWithoutKl() {
        List<ConfigVariant> variants = ConfigVariant.all().stream()
                .filter(v -> v.importance() == ImportanceLevel.TOKEN && !v.positiveBeta()
                        && v.policyLoss() == org.grpo4j.PolicyLoss.CLIPPED).toList();
        return ObjectiveArbitraries.fullCases(ObjectiveArbitraries.configs(variants));
    }

    // -------------------------------------------------------------------------------- (b) finite differences

    /**
     * (b) Central finite differences of the loss with respect to {@code logpNew} match the returned gradient at up
     * to six random active tokens and one masked token per case (DOUBLE inputs, step {@link FiniteDifferences#STEP},
     * tolerance {@code 1e-4·|g| + 1e-8·(1 + Σ w|l|) + h·κ}, κ the curvature bound of
     * {@link FiniteDifferences#curvatureBound}). Points with a kink within h are counted and skipped; at least
     * 90% of the points must be checked.
     *
     * @param c      the case
     * @param random picks the tokens
     */
    @Property(tries = 60)
    default void gradientMatchesCentralFiniteDifferences(@ForAll("fullCases") ObjectiveCase c,
                                                         @ForAll Random random) {
        GrpoObjective objective = objective();
        ObjectiveResult r = objective.evaluate(c.toInput(DataType.DOUBLE), c.config());
        double[][] grad = Matrices.toMatrix(r.gradient());
        ReferenceGrpoObjective.Result ref = c.reference();
        double scale = lossScale(c);
        List<int[]> points = pickPoints(c, random, 6);
        for (int[] p : points) {
            // CISPO and VESPO: logpOld moves with logpNew, so that their stop-gradient weight is held
            boolean frozen = FiniteDifferences.isFrozen(c.config());
            FiniteDifferences.Check check = FiniteDifferences.check(
                    x -> objective.evaluate((frozen ? c.withLogpNew(x).withLogpOld(moved(c.logpOld(), c.logpNew(), x))
                            : c.withLogpNew(x)).toInput(DataType.DOUBLE), c.config()).loss(),
                    c.logpNew(), p[0], p[1], grad[p[0]][p[1]], scale,
                    FiniteDifferences.curvatureBound(ref, c, p[0], p[1]));
            Statistics.label("finite differences").collect(check.outcome());
            if (check.outcome() == FiniteDifferences.Outcome.DISAGREES) {
                fail("d loss / d logpNew[" + p[0] + ", " + p[1] + "]: gradient " + check.gradient()
                        + ", central difference " + check.central() + " (forward " + check.forward()
                        + ", backward " + check.backward() + ", allowed " + check.allowed() + ")\n" + c);
            }
        }
        Statistics.label("finite differences").coverage(cov -> {
            cov.check(FiniteDifferences.Outcome.AGREES).percentage(pct -> pct >= 90);
            cov.check(FiniteDifferences.Outcome.DISAGREES).count(k -> k == 0);
        });
    }

    // ---------------------------------------------------------------------------------------- (c) advantages

    /**
     * (c) Advantages sum to 0 in each group (both baselines, every scaling), and {@code evaluate} uses the
     * advantages that {@code advantages} returns.
     *
     * @param c the case (its rewards and configuration)
     */
    @Property(tries = 100)
    default void advantagesSumToZeroInEachGroup(@ForAll("cases") ObjectiveCase c) {
        double[] a = advantages(c.rewards(), c.config());
        int g = c.config().groupSize();
        for (int start = 0; start < a.length; start += g) {
            double sum = 0;
            double abs = 0;
            for (int i = start; i < start + g; i++) {
                sum += a[i];
                abs += Math.abs(a[i]);
            }
            assertTrue(Math.abs(sum) <= 1e-9 * (1 + abs), "advantages of group " + start / g + " sum to " + sum
                    + ": " + Arrays.toString(Arrays.copyOfRange(a, start, start + g)) + "\n" + c);
        }
        ObjectiveCase derived = c.withAdvantages(null);
        double[] used = Matrices.toVector(objective().evaluate(derived.toInput(DataType.DOUBLE), c.config())
                .advantages());
        assertArrayEquals(a, used, 1e-12 * (1 + maxAbs(a)), "evaluate's advantages differ from advantages()");
        collectAdvantageEdgeCases(c);
    }

    /**
     * (c) Adding a constant to a group's rewards leaves the advantages unchanged; for {@code BATCH_STD}, whose
     * scale is the whole batch's deviation, the same constant is added to every reward.
     *
     * @param c      the case
     * @param shift  the constant (a different one per group, derived from it, unless BATCH_STD)
     * @param random picks the per-group constants
     */
    @Property(tries = 100)
    default void advantagesAreInvariantUnderShiftingAGroupsRewards(
            @ForAll("cases") ObjectiveCase c, @ForAll @DoubleRange(min = -10, max = 10) double shift,
            @ForAll Random random) {
        GrpoConfig config = c.config();
        int g = config.groupSize();
        double[] shifted = c.rewards().clone();
        for (int start = 0; start < shifted.length; start += g) {
            double s = config.advantageScaling() == AdvantageScaling.BATCH_STD ? shift
                    : shift * random.nextDouble();
            for (int i = start; i < start + g; i++) {
                shifted[i] += s;
            }
        }
        double[] a = advantages(c.rewards(), config);
        double[] b = advantages(shifted, config);
        assertArrayEquals(a, b, 1e-9 * (1 + maxAbs(a)), "shifted rewards " + Arrays.toString(shifted) + "\n" + c);
        collectAdvantageEdgeCases(c);
    }

    /**
     * (c) With std scaling, multiplying all rewards by {@code k > 0} changes an advantage only through ε:
     * {@code A' = A · k(s + ε)/(k s + ε)}, so {@code |A' − A| ≤ |A| · ε|k − 1| / (k s + ε)} with s the group's
     * (or batch's) standard deviation; without scaling, {@code A' = k A}.
     *
     * @param c the case
     * @param k the factor
     */
    @Property(tries = 100)
    default void stdScaledAdvantagesAreInvariantUnderPositiveScaling(
            @ForAll("cases") ObjectiveCase c, @ForAll @DoubleRange(min = 0.05, max = 20) double k) {
        GrpoConfig config = c.config();
        int g = config.groupSize();
        double[] scaled = c.rewards().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= k;
        }
        double[] a = advantages(c.rewards(), config);
        double[] b = advantages(scaled, config);
        double eps = config.advantageEpsilon();
        for (int i = 0; i < a.length; i++) {
            double s = switch (config.advantageScaling()) {
                case GROUP_STD -> ReferenceGrpoObjective.sampleStd(c.rewards(), i / g * g, g);
                case BATCH_STD -> ReferenceGrpoObjective.sampleStd(c.rewards(), 0, c.n());
                case NONE -> Double.NaN;
                case BATCH_WHITEN -> throw new AssertionError("ConfigVariant does not cover BATCH_WHITEN");
            };
            double numeric = 1e-9 * (1 + Math.abs(a[i]) * Math.max(1, k));
            if (config.advantageScaling() == AdvantageScaling.NONE) {
                assertEquals(k * a[i], b[i], numeric, "A[" + i + "] scaled by " + k + "\n" + c);
            } else {
                double allowed = a[i] == 0 ? 0 : Math.abs(a[i]) * eps * Math.abs(k - 1) / (k * s + eps);
                assertEquals(a[i], b[i], allowed + numeric, "A[" + i + "] with rewards scaled by " + k + "\n" + c);
            }
        }
        collectAdvantageEdgeCases(c);
    }

    /**
     * Collects, and checks the coverage of, the edge cases of the advantage laws: group size 2, a group whose
     * rewards are all equal, and a binary group.
     *
     * @param c the case
     */
    private static void collectAdvantageEdgeCases(ObjectiveCase c) {
        int g = c.config().groupSize();
        boolean allEqual = false;
        boolean binary = false;
        for (int start = 0; start < c.n(); start += g) {
            allEqual |= ReferenceGrpoObjective.allEqual(c.rewards(), start, g);
            boolean b = true;
            for (int i = start; i < start + g; i++) {
                b &= c.rewards()[i] == 0 || c.rewards()[i] == 1;
            }
            binary |= b;
        }
        Statistics.label("G = 2").collect(g == 2);
        Statistics.label("a group with all-equal rewards").collect(allEqual);
        Statistics.label("a binary group").collect(binary);
        Statistics.label("G = 2").coverage(cov -> cov.check(true).percentage(p -> p >= 15));
        Statistics.label("a group with all-equal rewards").coverage(cov -> cov.check(true).percentage(p -> p >= 10));
        Statistics.label("a binary group").coverage(cov -> cov.check(true).percentage(p -> p >= 10));
    }

    /**
     * (c) Every member of a group whose rewards are all equal gets an advantage of exactly 0, from
     * {@code advantages} and from {@code evaluate} (the first group is made all-equal in every try).
     *
     * @param c the case
     */
    @Property(tries = 100)
    default void allEqualGroupGetsExactlyZeroAdvantages(@ForAll("cases") ObjectiveCase c) {
        int g = c.config().groupSize();
        double[] rewards = c.rewards().clone();
        Arrays.fill(rewards, 0, g, rewards[g - 1]);
        ObjectiveCase equalFirst = c.withRewards(rewards).withAdvantages(null);
        double[] a = advantages(rewards, c.config());
        double[] used = Matrices.toVector(objective().evaluate(equalFirst.toInput(DataType.FLOAT), c.config())
                .advantages());
        int groups = 0;
        for (int start = 0; start < rewards.length; start += g) {
            if (ReferenceGrpoObjective.allEqual(rewards, start, g)) {
                groups++;
                for (int i = start; i < start + g; i++) {
                    assertEquals(0.0, Math.abs(a[i]), 0.0, "advantages()[" + i + "] of an all-equal group\n" + c);
                    assertEquals(0.0, Math.abs(used[i]), 0.0, "evaluate's A[" + i + "] of an all-equal group\n" + c);
                }
            }
        }
        Statistics.label("all-equal groups per batch").collect(groups);
    }

    // ------------------------------------------------------------------------------------------ (d) on-policy

    /**
     * (d) On-policy, whether logpOld is null or a copy of logpNew, the mean ratio is 1 (when a token is active),
     * no token is clipped or dual-clipped, and both forms give the same loss and gradient.
     *
     * @param c the case
     */
    @Property(tries = 100)
    default void onPolicyRatioIsOneAndNothingIsClipped(@ForAll("cases") ObjectiveCase c) {
        ObjectiveResult none = objective().evaluate(c.withLogpOld(null).toInput(DataType.FLOAT), c.config());
        ObjectiveResult same = objective().evaluate(c.withLogpOld(Matrices.deepCopy(c.logpNew()))
                .toInput(DataType.FLOAT), c.config());
        for (ObjectiveResult r : List.of(none, same)) {
            ObjectiveMetrics m = r.metrics();
            if (m.activeTokens() > 0) {
                assertEquals(1.0, m.meanRatio(), 1e-6, "mean ratio on-policy\n" + c);
            }
            assertEquals(0.0, m.clipFractionLow(), 0.0, "low clip fraction on-policy\n" + c);
            assertEquals(0.0, m.clipFractionHigh(), 0.0, "high clip fraction on-policy\n" + c);
            assertEquals(0.0, m.clipFractionRegion(), 0.0, "clip fraction on-policy\n" + c);
            assertEquals(0.0, m.dualClipFraction(), 0.0, "dual-clip fraction on-policy\n" + c);
        }
        assertEquals(none.loss(), same.loss(), 1e-6 * (1 + Math.abs(none.loss())), "loss, null vs copied logpOld");
        double[][] g1 = Matrices.toMatrix(none.gradient());
        double[][] g2 = Matrices.toMatrix(same.gradient());
        double tol = 1e-6 * (1e-12 + Matrices.maxAbs(g1));
        for (int i = 0; i < g1.length; i++) {
            assertArrayEquals(g1[i], g2[i], tol, "gradient row " + i + ", null vs copied logpOld\n" + c);
        }
    }

    // -------------------------------------------------------------------------------------------------- KL

    /**
     * The K2 and K3 estimators are non-negative ({@code d²/2} and {@code e^d − d − 1}), so the reported {@code kl}
     * and {@code loss/kl} are too, up to the rounding of {@code expm1(d) − d} ({@code 1e-6·max|d|}). An
     * implementation that forms {@code e^d − 1} by subtracting 1 from {@code e^d} in FLOAT reports noise of
     * ±6e-8 per token instead, negative when the policy is close to the reference.
     *
     * @param c          the case (K1 or no reference: nothing to check)
     * @param withDouble DOUBLE inputs if true, FLOAT otherwise
     */
    @Property(tries = 100)
    default void klEstimatesAreNonNegative(@ForAll("cases") ObjectiveCase c, @ForAll boolean withDouble) {
        if (c.logpRef() == null || c.config().klEstimator() == org.grpo4j.KlEstimator.K1) {
            return;
        }
        double maxD = 0;
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                if (c.mask()[i][j] == 1) {
                    maxD = Math.max(maxD, Math.abs(c.logpRef()[i][j] - c.logpNew()[i][j]));
                }
            }
        }
        ObjectiveMetrics m = objective().evaluate(c.toInput(withDouble ? DataType.DOUBLE : DataType.FLOAT),
                c.config()).metrics();
        assertTrue(m.meanKl() >= -1e-6 * maxD, "kl = " + m.meanKl() + " < 0 (max |d| = " + maxD + ")\n" + c);
        assertTrue(m.klLoss() >= -1e-6 * maxD, "loss/kl = " + m.klLoss() + " < 0 (max |d| = " + maxD + ")\n" + c);
    }

    // ---------------------------------------------------------------------------------------------- (e) masks

    /**
     * (e) The gradient is exactly 0 at every masked token, and nothing is NaN.
     *
     * @param c the case
     */
    @Property(tries = 100)
    default void maskedTokensGetExactlyZeroGradient(@ForAll("cases") ObjectiveCase c) {
        ObjectiveResult r = objective().evaluate(c.toInput(DataType.FLOAT), c.config());
        double[][] g = Matrices.toMatrix(r.gradient());
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                assertTrue(Double.isFinite(g[i][j]), "gradient[" + i + ", " + j + "] = " + g[i][j] + "\n" + c);
                if (c.mask()[i][j] == 0) {
                    assertEquals(0.0, g[i][j], 0.0, "gradient[" + i + ", " + j + "] at a masked token\n" + c);
                }
            }
        }
        assertTrue(Double.isFinite(r.loss()), "loss " + r.loss());
        r.metrics().asMap().forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v));
    }

    /**
     * (e) A fully masked sequence (one is made in every try) gets zero gradient, and rewriting logpNew, logpOld and
     * logpRef at every masked position (with values from −1000 to 50, which would overflow {@code exp} if they
     * were not masked first) changes nothing: loss, gradient and metrics are bit-for-bit the same.
     *
     * @param c      the case
     * @param random the replacement values and the row to mask
     */
    @Property(tries = 100)
    default void logProbabilitiesAtMaskedPositionsChangeNothing(@ForAll("cases") ObjectiveCase c,
                                                                @ForAll Random random) {
        double[][] mask = Matrices.deepCopy(c.mask());
        int masked = random.nextInt(c.n());
        Arrays.fill(mask[masked], 0);
        ObjectiveCase base = c.withMask(mask);
        ObjectiveCase changed = base.withLogpNew(scramble(base.logpNew(), mask, random))
                .withLogpOld(scramble(base.logpOld(), mask, random))
                .withLogpRef(scramble(base.logpRef(), mask, random));
        DataType type = random.nextBoolean() ? DataType.FLOAT : DataType.DOUBLE;
        ObjectiveResult r1 = objective().evaluate(base.toInput(type), c.config());
        ObjectiveResult r2 = objective().evaluate(changed.toInput(type), c.config());
        double[][] g1 = Matrices.toMatrix(r1.gradient());
        double[][] g2 = Matrices.toMatrix(r2.gradient());
        for (int j = 0; j < c.t(); j++) {
            assertEquals(0.0, g1[masked][j], 0.0, "gradient of fully masked row " + masked + "\n" + base);
        }
        assertEquals(r1.loss(), r2.loss(), 0.0, "loss after rewriting masked log-probs\n" + changed);
        for (int i = 0; i < c.n(); i++) {
            assertArrayEquals(g1[i], g2[i], 0.0, "gradient row " + i + " after rewriting masked log-probs\n"
                    + changed);
        }
        Map<String, Double> m1 = r1.metrics().asMap();
        Map<String, Double> m2 = r2.metrics().asMap();
        for (String key : m1.keySet()) {
            assertEquals(m1.get(key), m2.get(key), 0.0, key + " after rewriting masked log-probs\n" + changed);
        }
    }

    /**
     * (e) A batch with no active token has loss 0, gradient 0, token metrics 0 and no NaN anywhere.
     *
     * @param c the case (its mask is replaced by zeros)
     */
    @Property(tries = 50)
    default void allMaskedBatchGivesZeroLossAndGradient(@ForAll("cases") ObjectiveCase c) {
        ObjectiveCase empty = c.withMask(new double[c.n()][c.t()]);
        ObjectiveResult r = objective().evaluate(empty.toInput(DataType.FLOAT), c.config());
        assertEquals(0.0, r.loss(), 0.0, "loss of an all-masked batch\n" + empty);
        double[][] g = Matrices.toMatrix(r.gradient());
        for (double[] row : g) {
            for (double x : row) {
                assertEquals(0.0, x, 0.0, "gradient of an all-masked batch\n" + empty);
            }
        }
        ObjectiveMetrics m = r.metrics();
        m.asMap().forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v + " for an all-masked batch"));
        assertEquals(0L, m.activeTokens());
        for (double v : new double[] {m.loss(), m.policyLoss(), m.klLoss(), m.meanKl(), m.meanRatio(),
                m.clipFractionLow(), m.clipFractionHigh(), m.clipFractionRegion(), m.dualClipFraction()}) {
            assertEquals(0.0, v, 0.0, "token metric of an all-masked batch: " + m);
        }
    }

    // --------------------------------------------------------------------------------------- (f) trust region

    /**
     * (f) At β = 0 with token ratios (DOUBLE inputs): a token whose ratio is past the clip bound in the direction of
     * its advantage ({@code ρ > 1 + ε_high} with A &gt; 0, or {@code ρ < 1 − ε_low} with A &lt; 0), or past the
     * dual-clip constant with A &lt; 0, gets exactly zero gradient; every other active token with A ≠ 0 gets a
     * gradient of sign −sign(A). Tokens within 1e-9 (relative) of a bound are not judged.
     *
     * @param c the case
     */
    @Property(tries = 150)
    default void clippedTokensGetNoPolicyGradient(@ForAll("tokenLevelCasesWithoutKl") ObjectiveCase c) {
        GrpoConfig config = c.config();
        ObjectiveResult r = objective().evaluate(c.toInput(DataType.DOUBLE), config);
        double[][] g = Matrices.toMatrix(r.gradient());
        double[] a = Matrices.toVector(r.advantages());
        int clipped = 0;
        int dual = 0;
        int free = 0;
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                if (c.mask()[i][j] == 0 || a[i] == 0) {
                    continue;
                }
                double rho = Math.exp(c.logpNew()[i][j] - c.logpOld()[i][j]);
                if (ResultComparison.nearKink(rho, a[i], config, 1e-9)) {
                    continue;
                }
                String where = "token [" + i + ", " + j + "], ratio " + rho + ", advantage " + a[i] + "\n" + c;
                boolean clippedHigh = rho > 1 + config.epsilonHigh() && a[i] > 0;
                boolean clippedLow = rho < 1 - config.epsilonLow() && a[i] < 0;
                boolean dualBinds = config.dualClipEnabled() && a[i] < 0 && rho > config.dualClip();
                if (clippedHigh || clippedLow) {
                    clipped++;
                    assertEquals(0.0, g[i][j], 0.0, "gradient of a clipped " + where);
                } else if (dualBinds) {
                    dual++;
                    assertEquals(0.0, g[i][j], 0.0, "gradient of a dual-clipped " + where);
                } else {
                    free++;
                    assertTrue(g[i][j] != 0 && Math.signum(g[i][j]) == -Math.signum(a[i]),
                            "gradient " + g[i][j] + " of an unclipped " + where);
                }
            }
        }
        Statistics.label("has clipped tokens").collect(clipped > 0);
        Statistics.label("has dual-clipped tokens").collect(dual > 0);
        Statistics.label("has unclipped tokens").collect(free > 0);
        Statistics.label("has clipped tokens").coverage(cov -> cov.check(true).percentage(p -> p >= 5));
        Statistics.label("has dual-clipped tokens").coverage(cov -> cov.check(true).percentage(p -> p >= 1));
    }

    // ----------------------------------------------------------------------------------------- (g) no mutation

    /**
     * (g) {@code evaluate} and {@code advantages} never write their inputs (compared bit for bit with copies taken
     * before), and the returned arrays are new: writing them leaves the inputs as they were.
     *
     * @param c          the case
     * @param withDouble DOUBLE inputs if true, FLOAT otherwise
     */
    @Property(tries = 100)
    default void evaluateNeverWritesItsInputs(@ForAll("cases") ObjectiveCase c, @ForAll boolean withDouble) {
        DataType type = withDouble ? DataType.DOUBLE : DataType.FLOAT;
        ObjectiveInput in = c.toInput(type);
        List<INDArray> arrays = inputArrays(in);
        List<INDArray> copies = new ArrayList<>();
        for (INDArray x : arrays) {
            copies.add(x == null ? null : x.dup());
        }
        ObjectiveResult r = objective().evaluate(in, c.config());
        INDArray adv = objective().advantages(in.rewards(), c.config());
        assertUnchanged(arrays, copies, "evaluate/advantages", c);
        for (INDArray x : arrays) {
            if (x != null) {
                assertNotSame(x, r.gradient());
                assertNotSame(x, r.advantages());
                assertNotSame(x, adv);
            }
        }
        r.gradient().addi(1.0);
        r.advantages().addi(1.0);
        adv.addi(1.0);
        assertUnchanged(arrays, copies, "writing the results", c);
        assertArrayEquals(new long[] {c.n(), c.t()}, r.gradient().shape(), "gradient shape");
        assertEquals(c.n(), r.advantages().length(), "advantages length");
        assertEquals(type, r.gradient().dataType(), "gradient data type");
    }

    /**
     * Evaluating with precomputed advantages equal to the derived ones reproduces the result.
     *
     * @param c the case
     */
    @Property(tries = 50)
    default void precomputedAdvantagesEqualToDerivedOnesChangeNothing(@ForAll("cases") ObjectiveCase c) {
        ObjectiveCase derived = c.withAdvantages(null);
        ObjectiveResult r1 = objective().evaluate(derived.toInput(DataType.DOUBLE), c.config());
        ObjectiveCase given = derived.withAdvantages(Matrices.toVector(r1.advantages()));
        ObjectiveResult r2 = objective().evaluate(given.toInput(DataType.DOUBLE), c.config());
        assertEquals(r1.loss(), r2.loss(), 1e-12 * (1 + Math.abs(r1.loss())), "loss\n" + c);
        double[][] g1 = Matrices.toMatrix(r1.gradient());
        double[][] g2 = Matrices.toMatrix(r2.gradient());
        for (int i = 0; i < g1.length; i++) {
            assertArrayEquals(g1[i], g2[i], 1e-12 * (1e-12 + Matrices.maxAbs(g1)), "gradient row " + i + "\n" + c);
        }
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private double[] advantages(double[] rewards, GrpoConfig config) {
        return Matrices.toVector(objective().advantages(Matrices.vector(rewards, DataType.DOUBLE), config));
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /* The loss's magnitude Σ w |l|, from the reference, for rounding floors. */
    private static double lossScale(ObjectiveCase c) {
        ReferenceGrpoObjective.Result ref = c.reference();
        double s = 0;
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                s += ref.weight()[i][j] * (Math.abs(ref.tokenPolicy()[i][j])
                        + c.config().beta() * ResultComparison.klIngredients(c, i, j));
            }
        }
        return s;
    }

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

    /* Up to `active` random active tokens and one random masked token, as [row, column] pairs. */
    private static List<int[]> pickPoints(ObjectiveCase c, Random random, int active) {
        List<int[]> on = new ArrayList<>();
        List<int[]> off = new ArrayList<>();
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                (c.mask()[i][j] == 1 ? on : off).add(new int[] {i, j});
            }
        }
        java.util.Collections.shuffle(on, random);
        List<int[]> points = new ArrayList<>(on.subList(0, Math.min(active, on.size())));
        if (!off.isEmpty()) {
            points.add(off.get(random.nextInt(off.size())));
        }
        return points;
    }

    private static double[][] scramble(double[][] m, double[][] mask, Random random) {
        if (m == null) {
            return null;
        }
        double[][] s = Matrices.deepCopy(m);
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s[i].length; j++) {
                if (mask[i][j] == 0) {
                    s[i][j] = (float) (random.nextBoolean() ? -1000 * random.nextDouble() : 50 * random.nextDouble());
                }
            }
        }
        return s;
    }

    private static List<INDArray> inputArrays(ObjectiveInput in) {
        return Arrays.asList(in.rewards(), in.advantages(), in.logpNew(), in.logpOld(), in.logpRef(), in.mask());
    }

    private static void assertUnchanged(List<INDArray> arrays, List<INDArray> copies, String after,
                                        ObjectiveCase c) {
        String[] names = {"rewards", "advantages", "logpNew", "logpOld", "logpRef", "mask"};
        for (int k = 0; k < arrays.size(); k++) {
            INDArray x = arrays.get(k);
            if (x == null) {
                continue;
            }
            INDArray before = copies.get(k);
            assertEquals(before.dataType(), x.dataType(), names[k] + " data type changed by " + after);
            assertArrayEquals(before.shape(), x.shape(), names[k] + " shape changed by " + after);
            double[] b = before.castTo(DataType.DOUBLE).reshape(before.length()).toDoubleVector();
            double[] v = x.dup().castTo(DataType.DOUBLE).reshape(x.length()).toDoubleVector();
            assertArrayEquals(b, v, 0.0, names[k] + " changed by " + after + "\n" + c);
        }
    }
}
