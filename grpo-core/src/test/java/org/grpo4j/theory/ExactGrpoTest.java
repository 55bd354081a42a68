package org.grpo4j.theory;

import static org.grpo4j.theory.KlRegularizedOptimumTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.KlEstimator;
import org.grpo4j.LossAggregation;
import org.grpo4j.objective.Nd4jGrpoObjective;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.testing.ReferenceGrpoObjective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link ExactGrpo}: the four (enumeration × evaluation) methods agree with each other and with an expected
 * gradient computed here by brute force (every ordered joint batch, the plain-Java reference objective, and the
 * softmax backward pass written out), the gradient is exactly 0 outside the support, it is the theory's
 * {@link FixedPoints#expectedGradient} times {@link ExactGrpo#aggregationFactor}, {@code step} and {@code iterate}
 * do what they say, and bad input is rejected with a clear message.
 */
class ExactGrpoTest {

    private static final GrpoObjective ND4J = Nd4jGrpoObjective.create();
    private static final GrpoObjective REFERENCE = ReferenceGrpoObjective.create();

    /** A small tabular problem: reference, current policy (same support) and rewards. */
    private record Case(String name, double[][] reference, double[][] start, double[][] rewards) {
        TabularPolicy referencePolicy() {
            return TabularPolicy.ofProbabilities(reference);
        }

        TabularPolicy startPolicy() {
            return TabularPolicy.ofProbabilities(start);
        }
    }

    /** One prompt, three outputs, three reward values. */
    private static final Case ONE = new Case("one prompt",
            new double[][] {{0.5, 0.3, 0.2}},
            new double[][] {{0.2, 0.5, 0.3}},
            new double[][] {{1, 0, 0.5}});

    /** Two prompts; output 1 of row 0 is outside the support (and would be correct). */
    private static final Case TWO = new Case("two prompts",
            new double[][] {{0.6, 0, 0.4}, {0.25, 0.25, 0.5}},
            new double[][] {{0.3, 0, 0.7}, {0.4, 0.4, 0.2}},
            new double[][] {{0, 1, 1}, {1, 0, 0.25}});

    private static final List<Case> CASES = List.of(ONE, TWO);

    /** Separable variants (every scaling but BATCH_STD), each estimator and aggregation at least once. */
    private static final List<GrpoConfig> SEPARABLE = List.of(
            GrpoConfig.defaults().toBuilder().groupSize(3).build(),
            GrpoConfig.builder().groupSize(2).klEstimator(KlEstimator.K2).beta(0.1)
                    .advantageScaling(AdvantageScaling.NONE).advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT)
                    .lossAggregation(LossAggregation.TOKEN_MEAN).build(),
            GrpoConfig.drGrpo().toBuilder().groupSize(3).maxCompletionLength(4).build(),
            GrpoConfig.builder().groupSize(3).klEstimator(KlEstimator.K1).beta(0.2)
                    .advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT).advantageEpsilon(0)
                    .lossAggregation(LossAggregation.CONSTANT_NORMALIZER).maxCompletionLength(2).build());

    private static final GrpoConfig BATCH_STD = GrpoConfig.builder().groupSize(2).klEstimator(KlEstimator.K3)
            .beta(0.3).advantageScaling(AdvantageScaling.BATCH_STD).build();

    private static TabularPolicy referenceFor(Case c, GrpoConfig config) {
        return config.beta() > 0 ? c.referencePolicy() : null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // brute force

    /**
     * E[dLoss/dθ] by enumerating every ordered assignment of outputs to the P·G positions of a batch (group-major,
     * row x at positions x·G … x·G + G − 1), weighting it by Π pi(y_i | x_i), evaluating the plain-Java reference
     * objective on it and back-propagating with dlogp_y/dθ_j = 1[j = y] − pi_j.
     */
    private static double[][] bruteForce(double[][] pi, double[][] ref, double[][] rewards, GrpoConfig config) {
        int p = pi.length;
        int k = pi[0].length;
        int g = config.groupSize();
        int n = p * g;
        double[][] grad = new double[p][k];
        int[] y = new int[n];
        double[][] mask = new double[n][1];
        for (double[] m : mask) {
            m[0] = 1;
        }
        while (true) {
            double weight = 1;
            for (int i = 0; i < n; i++) {
                weight *= pi[i / g][y[i]];
            }
            if (weight > 0) {
                double[] r = new double[n];
                double[][] logp = new double[n][1];
                double[][] logpRef = ref == null ? null : new double[n][1];
                for (int i = 0; i < n; i++) {
                    int x = i / g;
                    r[i] = rewards[x][y[i]];
                    logp[i][0] = Math.log(pi[x][y[i]]);
                    if (logpRef != null) {
                        logpRef[i][0] = Math.log(ref[x][y[i]]);
                    }
                }
                double[][] dLogp = ReferenceGrpoObjective.evaluate(r, logp, null, logpRef, mask, config).gradient();
                for (int i = 0; i < n; i++) {
                    int x = i / g;
                    for (int j = 0; j < k; j++) {
                        grad[x][j] += weight * dLogp[i][0] * ((j == y[i] ? 1 : 0) - pi[x][j]);
                    }
                }
            }
            int i = n - 1;
            while (i >= 0 && ++y[i] == k) {
                y[i] = 0;
                i--;
            }
            if (i < 0) {
                return grad;
            }
        }
    }

    private static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    private static void assertClose(double[][] expected, double[][] actual, double relative, String where) {
        assertEquals(expected.length, actual.length, where);
        double scale = maxAbs(expected);
        assertTrue(scale > 1e-6, where + ": the expected gradient should not vanish, max |g| = " + scale);
        for (int x = 0; x < expected.length; x++) {
            assertArrayEquals(expected[x], actual[x], relative * scale, where + " row " + x);
        }
    }

    private static void assertZeroOutsideSupport(Case c, double[][] grad, String where) {
        for (int x = 0; x < c.start().length; x++) {
            for (int y = 0; y < c.start()[x].length; y++) {
                if (c.start()[x][y] == 0) {
                    assertEquals(0.0, grad[x][y], 0.0, where + " [" + x + "][" + y + "]");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // agreement

    @Test
    void allMethodsAgreeWithBruteForce() {
        for (Case c : CASES) {
            for (GrpoConfig config : SEPARABLE) {
                TabularPolicy ref = referenceFor(c, config);
                double[][] expected = bruteForce(c.start(), ref == null ? null : c.reference(), c.rewards(), config);
                for (GroupEnumeration e : GroupEnumeration.values()) {
                    for (Evaluation ev : Evaluation.values()) {
                        // the plain-Java objective too, on the cheaper enumeration (ORDERED costs |support|^G calls)
                        List<GrpoObjective> objectives = e == GroupEnumeration.MULTISET ? List.of(ND4J, REFERENCE)
                                : List.of(ND4J);
                        for (GrpoObjective objective : objectives) {
                            String where = c.name() + " " + e + "/" + ev + " " + objective.getClass().getSimpleName()
                                    + " " + config;
                            double[][] g = ExactGrpo.expectedGradient(c.startPolicy(), ref, c.rewards(), config,
                                    objective, e, ev);
                            assertClose(expected, g, 1e-12, where);
                            assertZeroOutsideSupport(c, g, where);
                        }
                    }
                }
                assertClose(expected, ExactGrpo.expectedGradient(c.startPolicy(), ref, c.rewards(), config, ND4J),
                        1e-12, c.name() + " default method");
            }
        }
    }

    /** BATCH_STD couples the groups of a batch: only PER_BATCH is exact, and both enumerations agree with brute force. */
    @Test
    void batchStdPerBatchAgreesWithBruteForce() {
        for (Case c : CASES) {
            double[][] expected = bruteForce(c.start(), c.reference(), c.rewards(), BATCH_STD);
            for (GroupEnumeration e : GroupEnumeration.values()) {
                double[][] g = ExactGrpo.expectedGradient(c.startPolicy(), c.referencePolicy(), c.rewards(),
                        BATCH_STD, ND4J, e, Evaluation.PER_BATCH);
                assertClose(expected, g, 1e-12, c.name() + " " + e);
                assertZeroOutsideSupport(c, g, c.name() + " " + e);
            }
            assertEquals(Evaluation.PER_BATCH, ExactGrpo.defaultEvaluation(BATCH_STD));
            assertClose(expected, ExactGrpo.expectedGradient(c.startPolicy(), c.referencePolicy(), c.rewards(),
                    BATCH_STD, ND4J), 1e-12, c.name() + " default method");
        }
        assertEquals(Evaluation.STACKED, ExactGrpo.defaultEvaluation(GrpoConfig.defaults()));
    }

    /**
     * Each prompt's exact gradient is aggregationFactor(config, P) × the theory's per-prompt gradient
     * −pi_j ā(j) + β pi_j (κ_j − E κ), for every loss aggregation (and so the factor is right).
     */
    @Test
    void exactGradientIsTheTheorysGradientTimesTheAggregationFactor() {
        for (Case c : CASES) {
            for (GrpoConfig base : SEPARABLE) {
                for (LossAggregation agg : LossAggregation.values()) {
                    GrpoConfig config = base.toBuilder().lossAggregation(agg).build();
                    TabularPolicy ref = referenceFor(c, config);
                    double[][] exact = ExactGrpo.expectedGradient(c.startPolicy(), ref, c.rewards(), config, ND4J);
                    double factor = ExactGrpo.aggregationFactor(config, c.start().length);
                    double[][] theory = new double[c.start().length][];
                    for (int x = 0; x < theory.length; x++) {
                        theory[x] = FixedPoints.expectedGradient(config, c.start()[x], c.reference()[x],
                                c.rewards()[x]);
                        for (int j = 0; j < theory[x].length; j++) {
                            theory[x][j] *= factor;
                        }
                    }
                    assertClose(theory, exact, 1e-11, c.name() + " " + agg + " " + config);
                }
            }
        }
    }

    @Test
    void aggregationFactorValues() {
        GrpoConfig c = GrpoConfig.defaults().toBuilder().maxCompletionLength(8).build();
        assertEquals(0.25, ExactGrpo.aggregationFactor(c, 4), 0.0);
        assertEquals(0.25, ExactGrpo.aggregationFactor(
                c.toBuilder().lossAggregation(LossAggregation.TOKEN_MEAN).build(), 4), 0.0);
        assertEquals(1.0 / 32, ExactGrpo.aggregationFactor(
                c.toBuilder().lossAggregation(LossAggregation.CONSTANT_NORMALIZER).build(), 4), 0.0);
        assertEquals(1.0, ExactGrpo.aggregationFactor(c, 1), 0.0);
        assertMessage(() -> ExactGrpo.aggregationFactor(c, 0), "numPrompts must be ≥ 1, was 0");
        assertMessage(() -> ExactGrpo.aggregationFactor(null, 1), "config must not be null");
    }

    // ------------------------------------------------------------------------------------------------------------
    // step and iterate

    @Test
    void stepIsPlainGradientDescentAndLeavesItsInputAlone() {
        GrpoConfig config = SEPARABLE.get(0);
        TabularPolicy policy = TWO.startPolicy();
        TabularPolicy ref = TWO.referencePolicy();
        double[][] before = policy.logitTable();
        double lr = 0.7;
        double[][] g = ExactGrpo.expectedGradient(policy, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED);
        TabularPolicy next = ExactGrpo.step(policy, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED, lr);
        assertArrayEquals(before, policy.logitTable());
        assertArrayEquals(TWO.start()[0], policy.rowProbabilities(0), 1e-15);
        double[][] after = next.logitTable();
        for (int x = 0; x < before.length; x++) {
            for (int y = 0; y < before[x].length; y++) {
                if (before[x][y] == Double.NEGATIVE_INFINITY) {
                    assertEquals(Double.NEGATIVE_INFINITY, after[x][y], 0.0);
                    assertEquals(0.0, next.rowProbabilities(x)[y], 0.0);
                } else {
                    assertEquals(before[x][y] - lr * g[x][y], after[x][y], 1e-15, "[" + x + "][" + y + "]");
                }
            }
        }
        // a descent step on the loss raises the best reachable output's probability in each row
        assertTrue(next.rowProbabilities(0)[2] > TWO.start()[0][2]);
        assertTrue(next.rowProbabilities(1)[0] > TWO.start()[1][0]);
        assertMessage(() -> ExactGrpo.step(policy, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED, 0), "learningRate must be finite and > 0, was 0.0");
        assertMessage(() -> ExactGrpo.step(policy, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED, Double.NaN), "learningRate must be finite and > 0, was NaN");
    }

    @Test
    void iterateReturnsTheStartAndEveryStep() {
        GrpoConfig config = SEPARABLE.get(1);
        TabularPolicy start = TWO.startPolicy();
        TabularPolicy ref = TWO.referencePolicy();
        double[][] startLogits = start.logitTable();
        ExactGrpoTrajectory t = ExactGrpo.iterate(start, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                Evaluation.PER_BATCH, 0.5, 3);
        assertEquals(3, t.steps());
        assertEquals(4, t.probabilities().size());
        assertArrayEquals(startLogits, start.logitTable());
        double[][] first = t.at(0);
        for (int x = 0; x < first.length; x++) {
            assertArrayEquals(TWO.start()[x], first[x], 1e-15);
        }
        TabularPolicy manual = start;
        for (int s = 1; s <= 3; s++) {
            manual = ExactGrpo.step(manual, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                    Evaluation.PER_BATCH, 0.5);
            double[][] expected = manual.probabilityTable();
            double[][] actual = t.at(s);
            for (int x = 0; x < expected.length; x++) {
                assertArrayEquals(expected[x], actual[x], 1e-15, "step " + s);
                for (int y = 0; y < expected[x].length; y++) {
                    assertEquals(expected[x][y], t.probability(s, x, y), 1e-15);
                }
            }
        }
        assertArrayEquals(manual.logitTable(), t.last().logitTable());
        // zero steps: the start alone
        ExactGrpoTrajectory none = ExactGrpo.iterate(start, ref, TWO.rewards(), config, ND4J,
                GroupEnumeration.MULTISET, Evaluation.STACKED, 0.5, 0);
        assertEquals(0, none.steps());
        assertArrayEquals(startLogits, none.last().logitTable());
        // the trajectory hands out copies
        t.at(1)[0][0] = 42;
        t.probabilities().get(1)[0][0] = 42;
        assertTrue(t.at(1)[0][0] < 1);
        assertMessage(() -> t.at(4), "step must be in [0, 3], was 4");
        assertMessage(() -> t.at(-1), "step must be in [0, 3], was -1");
        assertMessage(() -> ExactGrpo.iterate(start, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED, 0.5, -1), "steps must be ≥ 0, was -1");
        assertMessage(() -> ExactGrpo.iterate(start, ref, TWO.rewards(), config, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED, -0.5, 1), "learningRate must be finite and > 0, was -0.5");
        assertMessage(() -> new ExactGrpoTrajectory(List.of(), start), "probabilities must hold at least");
        assertMessage(() -> new ExactGrpoTrajectory(null, start), "probabilities must not be null");
        assertMessage(() -> new ExactGrpoTrajectory(List.<double[][]>of(new double[1][1]), null), "last must not be null");
    }

    // ------------------------------------------------------------------------------------------------------------
    // rejections

    @Test
    void stackedWithBatchStdIsRejected() {
        assertMessage(() -> ExactGrpo.expectedGradient(ONE.startPolicy(), ONE.referencePolicy(), ONE.rewards(),
                BATCH_STD, ND4J, GroupEnumeration.MULTISET, Evaluation.STACKED),
                "evaluation STACKED needs a separable objective", "BATCH_STD", "use PER_BATCH");
    }

    @Test
    void tooManyBatchesAreRejected() {
        GrpoConfig g4 = GrpoConfig.drGrpo().toBuilder().groupSize(4).build();
        // 3 prompts × 6 outputs, G = 4: C(9, 4) = 126 multisets per prompt, 126³ = 2,000,376 joint batches
        TabularPolicy p3 = TabularPolicy.uniform(3, 6);
        double[][] r3 = new double[3][6];
        r3[0][0] = 1;
        assertMessage(() -> ExactGrpo.expectedGradient(p3, null, r3, g4, ND4J, GroupEnumeration.MULTISET,
                Evaluation.PER_BATCH), "more than 200000 batches", "3 prompts", "groupSize 4", "MULTISET");
        // stacked, the same problem is 378 groups and runs
        double[][] ok = ExactGrpo.expectedGradient(p3, null, r3, g4, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED);
        assertTrue(ok[0][0] < 0, "the correct output's loss gradient is negative");
        // one prompt alone: 10 outputs, G = 6, ORDERED is 10⁶ groups
        GrpoConfig g6 = g4.toBuilder().groupSize(6).build();
        TabularPolicy p1 = TabularPolicy.uniform(1, 10);
        double[][] r1 = new double[1][10];
        assertMessage(() -> ExactGrpo.expectedGradient(p1, null, r1, g6, ND4J, GroupEnumeration.ORDERED,
                Evaluation.STACKED), "would enumerate 1000000 groups for one prompt", "10 supported outputs",
                "groupSize 6", "ORDERED");
        // stacked groups add up: 5 prompts × C(24, 5) = 42,504 multisets = 212,520 groups
        GrpoConfig g5 = g4.toBuilder().groupSize(5).build();
        TabularPolicy p5 = TabularPolicy.uniform(5, 20);
        double[][] r5 = new double[5][20];
        assertMessage(() -> ExactGrpo.expectedGradient(p5, null, r5, g5, ND4J, GroupEnumeration.MULTISET,
                Evaluation.STACKED), "more than 200000 groups");
    }

    @Test
    void referenceIsRequiredWhenBetaIsPositive() {
        GrpoConfig config = GrpoConfig.defaults(); // β = 0.04
        assertMessage(() -> ExactGrpo.expectedGradient(ONE.startPolicy(), null, ONE.rewards(), config, ND4J),
                "reference must be given when beta > 0, beta was 0.04");
        assertMessage(() -> ExactGrpo.iterate(ONE.startPolicy(), null, ONE.rewards(), config, ND4J,
                GroupEnumeration.MULTISET, Evaluation.STACKED, 0.1, 1), "reference must be given when beta > 0");
        // β = 0 needs none
        double[][] g = ExactGrpo.expectedGradient(ONE.startPolicy(), null, ONE.rewards(),
                config.toBuilder().beta(0).build(), ND4J);
        assertTrue(maxAbs(g) > 0);
    }

    @Test
    void mismatchedInputsAreRejected() {
        GrpoConfig config = SEPARABLE.get(0);
        TabularPolicy policy = TWO.startPolicy();
        TabularPolicy ref = TWO.referencePolicy();
        double[][] r = TWO.rewards();
        GroupEnumeration m = GroupEnumeration.MULTISET;
        Evaluation s = Evaluation.STACKED;
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ONE.referencePolicy(), r, config, ND4J, m, s),
                "reference shape [1, 3] must equal policy shape [2, 3]");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, TabularPolicy.uniform(2, 4), r, config, ND4J, m, s),
                "reference shape [2, 4] must equal policy shape [2, 3]");
        TabularPolicy swapped = TabularPolicy.ofProbabilities(List.of(new int[] {1}, new int[] {0}),
                TWO.reference(), DataType.DOUBLE);
        assertMessage(() -> ExactGrpo.expectedGradient(policy, swapped, r, config, ND4J, m, s),
                "reference row 1 holds the prompt of policy row 0; rows must match");
        TabularPolicy asFloat = TabularPolicy.ofProbabilities(List.of(new int[] {0}, new int[] {1}),
                TWO.reference(), DataType.FLOAT);
        assertMessage(() -> ExactGrpo.expectedGradient(policy, asFloat, r, config, ND4J, m, s),
                "reference data type FLOAT must equal policy data type DOUBLE");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, new double[][] {{0, 1, 1}}, config, ND4J, m, s),
                "rewards has 1 rows, the policy has 2 prompts");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, new double[][] {{0, 1, 1}, {1, 0}}, config, ND4J,
                m, s), "rewards[1] has 2 values, the policy has 3 outputs");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, new double[][] {{0, 1, 1}, {1, 0, Double.NaN}},
                config, ND4J, m, s), "rewards[1][2] must be finite, was NaN");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, new double[][] {{0, 1, 1}, null}, config, ND4J,
                m, s), "rewards[1] must not be null");
        assertMessage(() -> ExactGrpo.expectedGradient(null, ref, r, config, ND4J, m, s), "policy must not be null");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, null, config, ND4J, m, s),
                "rewards must not be null");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, r, null, ND4J, m, s), "config must not be null");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, r, config, null, m, s),
                "objective must not be null");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, r, config, ND4J, null, s),
                "enumeration must not be null");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, r, config, ND4J, m, null),
                "evaluation must not be null");
        assertMessage(() -> ExactGrpo.expectedGradient(policy, ref, r, null, ND4J), "config must not be null");
        assertMessage(() -> ExactGrpo.defaultEvaluation(null), "config must not be null");
    }
}
