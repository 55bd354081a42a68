package org.grpo4j.theory;

import static org.grpo4j.theory.KlRegularizedOptimumTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.KlEstimator;
import org.junit.jupiter.api.Test;

/**
 * {@link FixedPoints} for every (KL estimator × advantage scaling × advantage baseline): the kind reported matches
 * {@link FixedPointKind}'s documentation, the probabilities have the documented form and are stationary
 * ({@link FixedPoints#residual} ≤ 1e-9), {@link FixedPoints#binaryCeiling} agrees with {@link FixedPoints#solve},
 * the KL gradients against central finite differences, and the validation messages.
 */
class FixedPointsTest {

    /** A reference and its rewards: binary, three-valued, and binary with an unreachable correct output. */
    private record Problem(String name, double[] reference, double[] rewards) {
    }

    private static final List<Problem> PROBLEMS = List.of(
            new Problem("binary", new double[] {0.3, 0.5, 0.2}, new double[] {1, 0, 0}),
            new Problem("three-valued", new double[] {0.2, 0.3, 0.5}, new double[] {1, 0.5, 0}),
            new Problem("unreachable", new double[] {0, 0.1, 0.3, 0.6}, new double[] {1, 1, 0, 0}));

    private static GrpoConfig config(KlEstimator e, AdvantageScaling s, AdvantageBaseline b, double beta) {
        return GrpoConfig.builder().groupSize(4).klEstimator(e).advantageScaling(s).advantageBaseline(b).beta(beta)
                .build();
    }

    private static List<GrpoConfig> allVariants(double beta) {
        List<GrpoConfig> out = new ArrayList<>();
        for (KlEstimator e : KlEstimator.values()) {
            for (AdvantageScaling s : org.grpo4j.testing.ConfigVariant.SCALINGS) {
                for (AdvantageBaseline b : org.grpo4j.testing.ConfigVariant.BASELINES) {
                    out.add(config(e, s, b, beta));
                }
            }
        }
        return out;
    }

    private static FixedPointKind documentedKind(GrpoConfig c) {
        if (c.klEstimator() == KlEstimator.K1 || c.beta() == 0) {
            return FixedPointKind.NO_INTERIOR;
        }
        if (c.advantageScaling() == AdvantageScaling.NONE) {
            return c.klEstimator() == KlEstimator.K2 ? FixedPointKind.CLOSED_FORM : FixedPointKind.SCALAR_EQUATION;
        }
        return FixedPointKind.IMPLICIT;
    }

    @Test
    void everyVariantHasItsDocumentedKindFormAndIsStationary() {
        int interior = 0;
        for (double beta : new double[] {0.1, 0.5}) {
            for (GrpoConfig c : allVariants(beta)) {
                for (Problem problem : PROBLEMS) {
                    String where = problem.name() + " " + c.klEstimator() + "/" + c.advantageScaling() + "/"
                            + c.advantageBaseline() + " beta=" + beta;
                    FixedPoint fp = FixedPoints.solve(c, problem.reference(), problem.rewards());
                    assertEquals(documentedKind(c), fp.kind(), where);
                    double[] pi = fp.probabilities();
                    assertDistributionOnSupport(pi, problem.reference(), where);
                    assertDocumentedForm(c, fp.kind(), pi, problem, where);
                    if (fp.kind() != FixedPointKind.NO_INTERIOR) {
                        interior++;
                        double residual = FixedPoints.residual(c, pi, problem.reference(), problem.rewards());
                        assertTrue(residual <= 1e-9, where + ": residual " + residual);
                        // the reference itself is not stationary, so the residual check can fail
                        assertTrue(FixedPoints.residual(c, problem.reference(), problem.reference(),
                                problem.rewards()) > 1e-3, where);
                        // and the fixed point moves mass towards the best reward
                        assertTrue(fp.massAtLeast(problem.rewards(), 1) > new FixedPoint(fp.kind(),
                                problem.reference()).massAtLeast(problem.rewards(), 1), where);
                    }
                }
            }
        }
        assertEquals(2 * 2 * 3 * 2 * 3, interior); // β × {K2, K3} × scalings × baselines × problems
    }

    /** The form {@link FixedPointKind} documents for each kind, written out here with Math.exp and the advantages. */
    private static void assertDocumentedForm(GrpoConfig c, FixedPointKind kind, double[] pi, Problem problem,
                                             String where) {
        double[] ref = problem.reference();
        double[] r = problem.rewards();
        int k = ref.length;
        double beta = c.beta();
        double cFactor = FixedPoints.unscaledAdvantageFactor(c);
        switch (kind) {
            case CLOSED_FORM -> {                       // pi ∝ ref · exp(c r / β)
                double[] w = new double[k];
                double z = 0;
                for (int j = 0; j < k; j++) {
                    w[j] = ref[j] * Math.exp(cFactor * r[j] / beta);
                    z += w[j];
                }
                for (int j = 0; j < k; j++) {
                    assertEquals(w[j] / z, pi[j], 1e-14, where + " j=" + j);
                }
            }
            case SCALAR_EQUATION -> {                   // pi_j = ref_j / (1 − (c/β)(r_j − E_pi r))
                double mean = KlRegularizedOptimum.expectation(pi, r);
                for (int j = 0; j < k; j++) {
                    assertEquals(ref[j] / (1 - cFactor / beta * (r[j] - mean)), pi[j], 1e-12, where + " j=" + j);
                }
            }
            case IMPLICIT -> {                          // k2: pi ∝ ref · exp(ā_pi/β); k3: pi_j = ref_j / (1 − ā_pi(j)/β)
                double[] abar = ExpectedAdvantage.of(pi, r, c);
                if (c.klEstimator() == KlEstimator.K2) {
                    double[] w = new double[k];
                    double z = 0;
                    for (int j = 0; j < k; j++) {
                        w[j] = ref[j] * Math.exp(abar[j] / beta);
                        z += w[j];
                    }
                    for (int j = 0; j < k; j++) {
                        assertEquals(w[j] / z, pi[j], 1e-10, where + " j=" + j);
                    }
                } else {
                    for (int j = 0; j < k; j++) {
                        assertEquals(ref[j] / (1 - abar[j] / beta), pi[j], 1e-10, where + " j=" + j);
                    }
                }
            }
            case NO_INTERIOR -> {                       // ref restricted to the best reward of its support
                double best = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    if (ref[j] > 0) {
                        best = Math.max(best, r[j]);
                    }
                }
                double mass = 0;
                for (int j = 0; j < k; j++) {
                    mass += ref[j] > 0 && r[j] == best ? ref[j] : 0;
                }
                for (int j = 0; j < k; j++) {
                    assertEquals(ref[j] > 0 && r[j] == best ? ref[j] / mass : 0, pi[j], 1e-15, where + " j=" + j);
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static void assertDistributionOnSupport(double[] pi, double[] ref, String where) {
        double sum = 0;
        for (int j = 0; j < pi.length; j++) {
            assertTrue(pi[j] >= 0, where);
            if (ref[j] == 0) {
                assertEquals(0.0, pi[j], 0.0, where + ": mass outside the support at " + j);
            }
            sum += pi[j];
        }
        assertEquals(1.0, sum, 1e-12, where);
    }

    /** For binary rewards, binaryCeiling(Q) is the success mass of solve(...) for every variant. */
    @Test
    void binaryCeilingEqualsTheSolvedSuccessMass() {
        for (double beta : new double[] {0.05, 0.4, 2}) {
            for (GrpoConfig c : allVariants(beta)) {
                for (double q : new double[] {0.02, 0.3, 0.7}) {
                    double[] ref = {q / 4, 3 * q / 4, (1 - q) / 2, (1 - q) / 2};
                    double[] r = {1, 1, 0, 0};
                    double expected = FixedPoints.solve(c, ref, r).massAtLeast(r, 1);
                    double ceiling = FixedPoints.binaryCeiling(c, q);
                    String where = c.klEstimator() + "/" + c.advantageScaling() + "/" + c.advantageBaseline()
                            + " beta=" + beta + " q=" + q;
                    assertEquals(expected, ceiling, 1e-12, where);
                    assertTrue(ceiling >= q && ceiling <= 1, where);
                }
                assertEquals(0.0, FixedPoints.binaryCeiling(c, 0), 0.0);
                assertEquals(1.0, FixedPoints.binaryCeiling(c, 1), 0.0);
            }
        }
    }

    /** The closed-form ceilings by hand: k2 without scaling is sigmoid(logit Q + c/β), k3 the reverse quadratic's root. */
    @Test
    void unscaledCeilingsByHand() {
        GrpoConfig k2 = config(KlEstimator.K2, AdvantageScaling.NONE, AdvantageBaseline.GROUP_MEAN, 0.25);
        // c = 3/4, c/β = 3: Q e³ / (Q e³ + 1 − Q) at Q = 0.1
        double e3 = Math.exp(3);
        assertEquals(0.1 * e3 / (0.1 * e3 + 0.9), FixedPoints.binaryCeiling(k2, 0.1), 1e-15);
        GrpoConfig k3 = config(KlEstimator.K3, AdvantageScaling.NONE, AdvantageBaseline.LEAVE_ONE_OUT, 0.5);
        // c = 1, s = 2: 2p² − p − Q = 0, p = (1 + sqrt(1 + 8Q))/4; Q = 0.3 → (1 + sqrt(3.4))/4
        assertEquals((1 + Math.sqrt(3.4)) / 4, FixedPoints.binaryCeiling(k3, 0.3), 1e-15);
    }

    /** k1 at any β, or β = 0 with any estimator: no interior fixed point, ceiling 1 for 0 &lt; Q &lt; 1. */
    @Test
    void k1OrBetaZeroHasNoInteriorFixedPoint() {
        List<GrpoConfig> configs = new ArrayList<>();
        for (GrpoConfig c : allVariants(0.3)) {
            if (c.klEstimator() == KlEstimator.K1) {
                configs.add(c);
            }
        }
        configs.addAll(allVariants(0));
        for (GrpoConfig c : configs) {
            for (double q : new double[] {1e-6, 0.4, 0.999}) {
                assertEquals(1.0, FixedPoints.binaryCeiling(c, q), 0.0, c.toString());
            }
            FixedPoint fp = FixedPoints.solve(c, new double[] {0.2, 0.3, 0.5}, new double[] {1, 1, 0});
            assertEquals(FixedPointKind.NO_INTERIOR, fp.kind());
            assertArrayEquals(new double[] {0.4, 0.6, 0}, fp.probabilities(), 1e-15);
            assertEquals(1.0, fp.massAtLeast(new double[] {1, 1, 0}, 1), 1e-15);
        }
    }

    /** One reward value on the support: every advantage is 0, and the reference is already the fixed point. */
    @Test
    void constantRewardKeepsTheReference() {
        double[] ref = {0.25, 0.75};
        for (GrpoConfig c : allVariants(0.2)) {
            if (c.klEstimator() == KlEstimator.K1) {
                continue;
            }
            FixedPoint fp = FixedPoints.solve(c, ref, new double[] {0.5, 0.5});
            assertArrayEquals(ref, fp.probabilities(), 1e-15, c.toString());
            assertEquals(0.0, FixedPoints.residual(c, fp.probabilities(), ref, new double[] {0.5, 0.5}), 1e-15);
        }
    }

    @Test
    void unscaledAdvantageFactorIsTheConstantOfTheExpectedAdvantage() {
        for (int g : new int[] {2, 4, 7}) {
            GrpoConfig mean = GrpoConfig.builder().groupSize(g).advantageBaseline(AdvantageBaseline.GROUP_MEAN)
                    .advantageScaling(AdvantageScaling.NONE).build();
            GrpoConfig loo = mean.toBuilder().advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT).build();
            assertEquals((g - 1.0) / g, FixedPoints.unscaledAdvantageFactor(mean), 0.0);
            assertEquals(1.0, FixedPoints.unscaledAdvantageFactor(loo), 0.0);
            // ā(y) = c·(r(y) − E_pi r) without std scaling
            double[] pi = {0.2, 0.3, 0.5};
            double[] r = {1, 0.5, 0};
            double mu = 0.2 + 0.15;
            for (GrpoConfig c : List.of(mean, loo)) {
                double[] abar = ExpectedAdvantage.of(pi, r, c);
                for (int j = 0; j < 3; j++) {
                    assertEquals(FixedPoints.unscaledAdvantageFactor(c) * (r[j] - mu), abar[j], 1e-14);
                }
            }
        }
        assertEquals(0.5, FixedPoints.unscaledAdvantageFactor(GrpoConfig.builder().groupSize(2).build()), 0.0);
    }

    @Test
    void validationMessages() {
        GrpoConfig c = GrpoConfig.defaults();
        double[] ref = {0.5, 0.5};
        double[] r = {1, 0};
        assertMessage(() -> FixedPoints.solve(null, ref, r), "config must not be null");
        assertMessage(() -> FixedPoints.solve(c, new double[] {0.5, 0.4}, r), "reference must sum to 1, summed to 0.9");
        assertMessage(() -> FixedPoints.solve(c, ref, new double[] {1, 0, 0}),
                "rewards length (3) must equal the number of outputs (2)");
        assertMessage(() -> FixedPoints.solve(c, ref, new double[] {1, Double.NaN}), "rewards[1] must be finite, was NaN");
        assertMessage(() -> FixedPoints.binaryCeiling(null, 0.5), "config must not be null");
        assertMessage(() -> FixedPoints.binaryCeiling(c, 1.5), "q must be in [0.0, 1.0], was 1.5");
        assertMessage(() -> FixedPoints.binaryCeiling(c, Double.NaN), "q must be in [0.0, 1.0], was NaN");
        assertMessage(() -> FixedPoints.unscaledAdvantageFactor(null), "config must not be null");
        assertMessage(() -> FixedPoints.klGradient(null, ref, ref), "estimator must not be null");
        assertMessage(() -> FixedPoints.klGradient(KlEstimator.K2, new double[] {0.5, 0.5}, new double[] {1, 0}),
                "pi[1] = 0.5 lies outside the reference's support (reference[1] = 0)");
        assertMessage(() -> FixedPoints.klGradient(KlEstimator.K3, ref, new double[] {1}), "reference length (1) must equal 2");
        assertMessage(() -> FixedPoints.expectedGradient(c, new double[] {0.5, 0.6}, ref, r), "pi must sum to 1");
        assertMessage(() -> FixedPoints.residual(c, ref, new double[] {0, 1}, r),
                "pi[0] = 0.5 lies outside the reference's support (reference[0] = 0)");
        FixedPoint fp = FixedPoints.solve(c, ref, r);
        assertMessage(() -> fp.massAtLeast(new double[] {1}, 1), "rewards length (1) must equal 2");
        assertMessage(() -> new FixedPoint(null, ref), "kind must not be null");
        assertMessage(() -> new FixedPoint(FixedPointKind.IMPLICIT, null), "probabilities must not be null");
    }
}
