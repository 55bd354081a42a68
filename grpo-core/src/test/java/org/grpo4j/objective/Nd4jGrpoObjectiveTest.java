package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.KlEstimator;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.testing.Matrices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Nd4jGrpoObjective} on inputs it must reject (one test per case; each checks that the message names the
 * argument and the offending value, as {@code docs/objective.md} section 8 requires) and on small batches whose
 * results are worked out by hand for each preset.
 */
class Nd4jGrpoObjectiveTest {

    /** @return the objective under test; {@link FusedGrpoObjectiveTest} runs every case on the fused one */
    GrpoObjective objective() {
        return Nd4jGrpoObjective.create();
    }

    /** G = 2 so that a 4-row batch is two groups; every other field is the GRPO default. */
    private static final GrpoConfig G2 = GrpoConfig.grpo().toBuilder().groupSize(2).build();

    // ------------------------------------------------------------------------------------------- fixtures

    private static INDArray vec(double... v) {
        return Nd4j.createFromArray(v).castTo(DataType.FLOAT);
    }

    private static INDArray mat(int rows, int cols, double value) {
        return Nd4j.valueArrayOf(new long[] {rows, cols}, value, DataType.FLOAT);
    }

    /** A valid 4×3 FLOAT batch (two groups of two) with every array present. */
    private static ObjectiveInput valid() {
        return ObjectiveInput.of(vec(1, 0, 0.5, 0.25), mat(4, 3, -1.0), mat(4, 3, -1.1), mat(4, 3, -0.9),
                mat(4, 3, 1.0));
    }

    private static ObjectiveInput with(INDArray rewards, INDArray logpNew, INDArray logpOld, INDArray logpRef,
                                       INDArray mask) {
        return ObjectiveInput.of(rewards, logpNew, logpOld, logpRef, mask);
    }

    /**
     * Asserts an IllegalArgumentException whose message contains every fragment (case-sensitive) and matches
     * every pattern.
     */
    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = String.valueOf(e.getMessage());
        for (String f : fragments) {
            if (f.startsWith("re:")) {
                assertTrue(Pattern.compile(f.substring(3)).matcher(msg).find(),
                        "message should match /" + f.substring(3) + "/: " + msg);
            } else {
                assertTrue(msg.contains(f), "message should contain '" + f + "': " + msg);
            }
        }
    }

    /** A shape as the message may print it: [4, 3] or [4,3]. */
    private static String shape(long... dims) {
        StringBuilder sb = new StringBuilder("re:\\[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ",\\s*" : "").append(dims[i]);
        }
        return sb.append("\\]").toString();
    }

    /** An index (i, j) as the message may print it: [1, 2], [1][2], (1, 2) or 1, 2. */
    private static String index(int i, int j) {
        return "re:\\D" + i + "(\\]\\[|,\\s*)" + j + "\\D";
    }

    // ------------------------------------------------------------------------------------- rejected inputs

    @Test
    void logpOldOfAnotherShapeIsRejectedQuotingBothShapes() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), mat(4, 2, -1), v.logpRef(),
                v.mask()), G2), "logpOld", shape(4, 3), shape(4, 2));
    }

    @Test
    void logpRefOfAnotherShapeIsRejectedQuotingBothShapes() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), mat(2, 3, -1),
                v.mask()), G2), "logpRef", shape(4, 3), shape(2, 3));
    }

    @Test
    void maskOfAnotherShapeIsRejectedQuotingBothShapes() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), v.logpRef(),
                mat(4, 4, 1)), G2), "mask", shape(4, 3), shape(4, 4));
    }

    @Test
    void rewardsOfWrongLengthAreRejectedQuotingBothShapes() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(vec(1, 0, 1), v.logpNew(), v.logpOld(), v.logpRef(),
                v.mask()), G2), "rewards", shape(4), shape(3));
    }

    @Test
    void nanRewardIsRejected() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(vec(1, 0, Double.NaN, 1), v.logpNew(), v.logpOld(),
                v.logpRef(), v.mask()), G2), "rewards", "NaN", "2");
    }

    @Test
    void infiniteRewardIsRejected() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(vec(1, Double.NEGATIVE_INFINITY, 0, 1), v.logpNew(),
                v.logpOld(), v.logpRef(), v.mask()), G2), "rewards", "Infinity", "1");
    }

    @Test
    void nanLogpNewIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.logpNew().dup();
        bad.putScalar(1, 2, Double.NaN);
        assertRejected(() -> objective().evaluate(with(v.rewards(), bad, v.logpOld(), v.logpRef(), v.mask()), G2),
                "logpNew", "NaN", index(1, 2));
    }

    @Test
    void infiniteLogpNewIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.logpNew().dup();
        bad.putScalar(2, 0, Double.NEGATIVE_INFINITY);
        assertRejected(() -> objective().evaluate(with(v.rewards(), bad, v.logpOld(), v.logpRef(), v.mask()), G2),
                "logpNew", "Infinity", index(2, 0));
    }

    @Test
    void nanLogpOldIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.logpOld().dup();
        bad.putScalar(3, 1, Double.NaN);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), bad, v.logpRef(), v.mask()), G2),
                "logpOld", "NaN", index(3, 1));
    }

    @Test
    void infiniteLogpOldIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.logpOld().dup();
        bad.putScalar(0, 2, Double.POSITIVE_INFINITY);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), bad, v.logpRef(), v.mask()), G2),
                "logpOld", "Infinity", index(0, 2));
    }

    @Test
    void nanLogpRefIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.logpRef().dup();
        bad.putScalar(1, 1, Double.NaN);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), bad, v.mask()), G2),
                "logpRef", "NaN", index(1, 1));
    }

    @Test
    void infiniteLogpRefIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.logpRef().dup();
        bad.putScalar(2, 2, Double.NEGATIVE_INFINITY);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), bad, v.mask()), G2),
                "logpRef", "Infinity", index(2, 2));
    }

    @Test
    void batchThatIsNotAWholeNumberOfGroupsIsRejected() {
        assertRejected(() -> objective().evaluate(with(vec(1, 0, 1), mat(3, 2, -1), null, mat(3, 2, -1),
                mat(3, 2, 1)), G2), "3", "2", "re:(?i)group");
    }

    @Test
    void completionLongerThanMaxCompletionLengthIsRejected() {
        GrpoConfig shortLimit = G2.toBuilder().maxCompletionLength(2).build();
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(v, shortLimit), "maxCompletionLength", "3", "2");
    }

    @Test
    void maskValueOfOneHalfIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.mask().dup();
        bad.putScalar(2, 1, 0.5);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), v.logpRef(), bad), G2),
                "mask", "0.5", index(2, 1));
    }

    @Test
    void nanMaskValueIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.mask().dup();
        bad.putScalar(0, 1, Double.NaN);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), v.logpRef(), bad), G2),
                "mask", "NaN", index(0, 1));
    }

    /**
     * 0.999999 is within ND4J's default comparison epsilon (1e-5) of 1, so a tolerant equality check would let it
     * through; the mask must be exactly 0 or 1.
     */
    @Test
    void maskValueJustBelowOneIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.mask().dup();
        bad.putScalar(1, 2, 0.999999f);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), v.logpRef(), bad), G2),
                "mask", "0.999999", index(1, 2));
    }

    /** 1e-6 is within ND4J's default comparison epsilon of 0; it must be rejected too. */
    @Test
    void maskValueJustAboveZeroIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.mask().dup();
        bad.putScalar(3, 0, 1e-6f);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), v.logpRef(), bad), G2),
                "mask", "E-6", index(3, 0));
    }

    @Test
    void negativeMaskValueIsRejected() {
        ObjectiveInput v = valid();
        INDArray bad = v.mask().dup();
        bad.putScalar(0, 0, -1);
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), v.logpRef(), bad), G2),
                "mask", "-1", index(0, 0));
    }

    @Test
    void logpNewOfRankOneIsRejected() {
        INDArray flat = vec(-1, -1, -1, -1);
        assertRejected(() -> objective().evaluate(with(vec(1, 0, 1, 0), flat, null, flat, vec(1, 1, 1, 1)), G2),
                "logpNew", shape(4));
    }

    @Test
    void emptyBatchIsRejected() {
        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 3);
        assertRejected(() -> objective().evaluate(with(Nd4j.create(DataType.FLOAT, 0), empty, null, empty, empty), G2),
                "0 sequences", "groupSize 2");
    }

    @Test
    void zeroTokensAreRejected() {
        INDArray none = Nd4j.create(DataType.FLOAT, 4, 0);
        assertRejected(() -> objective().evaluate(with(vec(1, 0, 1, 0), none, null, none, none), G2),
                "T", "logpNew", "was 0");
    }

    @Test
    void rewardsOfTwoColumnsAreRejectedQuotingBothShapes() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(mat(4, 2, 1), v.logpNew(), v.logpOld(), v.logpRef(), v.mask()),
                G2), "rewards", shape(4), shape(4, 2));
    }

    @Test
    void integerRewardsAreRejected() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(Nd4j.createFromArray(1, 0, 1, 0), v.logpNew(), v.logpOld(),
                v.logpRef(), v.mask()), G2), "rewards", "INT");
    }

    @Test
    void halfPrecisionLogpNewIsRejected() {
        ObjectiveInput v = valid();
        INDArray half = v.logpNew().castTo(DataType.FLOAT16);
        assertRejected(() -> objective().evaluate(with(v.rewards(), half, null, null, v.mask()), G2.toBuilder().beta(0)
                .build()), "logpNew", "HALF");
    }

    @Test
    void maskOfAnotherDataTypeIsRejected() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), v.logpRef(),
                v.mask().castTo(DataType.DOUBLE)), G2), "mask", "DOUBLE", "FLOAT");
    }

    @Test
    void logpRefOfAnotherDataTypeIsRejected() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(),
                v.logpRef().castTo(DataType.DOUBLE), v.mask()), G2), "logpRef", "DOUBLE", "FLOAT");
    }

    @Test
    void nullInputIsRejected() {
        assertRejected(() -> objective().evaluate(null, G2), "input", "null");
    }

    @Test
    void nullConfigIsRejected() {
        assertRejected(() -> objective().evaluate(valid(), null), "config", "null");
    }

    @Test
    void advantagesOfNullRewardsAreRejected() {
        assertRejected(() -> objective().advantages(null, G2), "rewards", "null");
    }

    @Test
    void missingLogpRefWithPositiveBetaIsRejected() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld(), null, v.mask()), G2),
                "logpRef", "beta", "0.04");
    }

    @Test
    void mixedDataTypesAreRejected() {
        ObjectiveInput v = valid();
        assertRejected(() -> objective().evaluate(with(v.rewards(), v.logpNew(), v.logpOld().castTo(DataType.DOUBLE),
                v.logpRef(), v.mask()), G2), "logpOld", "FLOAT", "DOUBLE");
    }

    @Test
    void integerDataTypeIsRejected() {
        INDArray ints = Nd4j.zeros(DataType.INT32, 4, 3);
        INDArray ones = Nd4j.ones(DataType.INT32, 4, 3);
        assertRejected(() -> objective().evaluate(with(vec(1, 0, 1, 0), ints, ints, ints, ones), G2), "INT");
    }

    @Test
    void nanPrecomputedAdvantageIsRejected() {
        ObjectiveInput v = valid().withAdvantages(vec(0.5, Double.NaN, 0, 0));
        assertRejected(() -> objective().evaluate(v, G2), "advantages", "NaN", "1");
    }

    @Test
    void precomputedAdvantagesOfWrongLengthAreRejectedQuotingBothShapes() {
        ObjectiveInput v = valid().withAdvantages(vec(0.5, -0.5));
        assertRejected(() -> objective().evaluate(v, G2), "advantages", shape(4), shape(2));
    }

    @Test
    void advantagesOfABatchThatIsNotAWholeNumberOfGroupsAreRejected() {
        assertRejected(() -> objective().advantages(vec(1, 0, 1), G2), "3", "2");
    }

    @Test
    void advantagesOfANanRewardAreRejected() {
        assertRejected(() -> objective().advantages(vec(1, Double.NaN), G2), "rewards", "NaN");
    }

    // ----------------------------------------------------------------------------------- worked examples

    /** a = 0.5 / (std_1(1, 0) + 1e-4) = 0.5 / (√0.5 + 1e-4): the advantage of rewards (1, 0) with GROUP_STD. */
    private static final double A = 0.5 / (Math.sqrt(0.5) + 1e-4);

    private static INDArray dmat(double[][] m) {
        return Matrices.matrix(m, DataType.DOUBLE);
    }

    private static INDArray dvec(double... v) {
        return Matrices.vector(v, DataType.DOUBLE);
    }

    private static void assertGradient(double[][] expected, ObjectiveResult r, double tol) {
        double[][] g = Matrices.toMatrix(r.gradient());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], g[i], tol, "gradient row " + i);
        }
    }

    /**
     * GRPO (G set to 2): rewards (1, 0) → A = (+a, −a), a = 0.5/(√0.5 + 1e-4) ≈ 0.70700680. Ratios
     * ρ = [[1.5, 1], [0.5, 1.1]] (logpOld = −1, logpNew = ln ρ − 1); logpRef = logpNew except token (0,1), where
     * d = ln 2. Weights 1/(L·N') = 1/(2·2) = 1/4.
     * <pre>
     * (0,0) A&gt;0, ρ=1.5 &gt; 1.2: p = max(−1.5a, −1.2a) = −1.2a, clipped → ∂p/∂u = 0      (high clip)
     * (0,1) ρ=1: p = −a, ∂p/∂u = −a; k3 = e^{ln 2} − ln 2 − 1 = 1 − ln 2, ∂k/∂ℓ = 1 − 2 = −1
     * (1,0) A&lt;0, ρ=0.5 &lt; 0.8: p = max(0.5a, 0.8a) = 0.8a, clipped → 0                  (low clip)
     * (1,1) ρ=1.1 inside: p = 1.1a, ∂p/∂u = −ρA = 1.1a
     * loss = ¼(−1.2a − a + 0.8a + 1.1a) + ¼·0.04·(1 − ln 2) = −0.075a + 0.01(1 − ln 2) ≈ −0.0499570
     * gradient = ¼ · [[0, −a + 0.04·(−1)], [0, 1.1a]]
     * ratio mean = (1.5 + 1 + 0.5 + 1.1)/4 = 1.025; kl = (1 − ln 2)/4; low = high = ¼, region = ½
     * </pre>
     */
    @Test
    void grpoWorkedExample() {
        double l2 = Math.log(2);
        double[][] logpNew = {{Math.log(1.5) - 1, -1}, {Math.log(0.5) - 1, Math.log(1.1) - 1}};
        double[][] logpOld = {{-1, -1}, {-1, -1}};
        double[][] logpRef = {{logpNew[0][0], -1 + l2}, {logpNew[1][0], logpNew[1][1]}};
        double[][] mask = {{1, 1}, {1, 1}};
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(dvec(1, 0), dmat(logpNew), dmat(logpOld),
                dmat(logpRef), dmat(mask)), G2);
        assertEquals(-0.075 * A + 0.01 * (1 - l2), r.loss(), 1e-12);
        assertEquals(-0.0499570, r.loss(), 1e-7);
        assertArrayEquals(new double[] {A, -A}, Matrices.toVector(r.advantages()), 1e-12);
        assertGradient(new double[][] {{0, (-A - 0.04) / 4}, {0, 1.1 * A / 4}}, r, 1e-12);
        ObjectiveMetrics m = r.metrics();
        assertEquals(-0.075 * A, m.policyLoss(), 1e-12);
        assertEquals((1 - l2) / 4, m.klLoss(), 1e-12);
        assertEquals((1 - l2) / 4, m.meanKl(), 1e-12);
        assertEquals(1.025, m.meanRatio(), 1e-12);
        assertEquals(0.25, m.clipFractionLow(), 1e-12);
        assertEquals(0.25, m.clipFractionHigh(), 1e-12);
        assertEquals(0.5, m.clipFractionRegion(), 1e-12);
        assertEquals(0.0, m.dualClipFraction(), 0.0);
        assertEquals(0.5, m.rewardMean(), 1e-12);
        assertEquals(Math.sqrt(0.5), m.rewardStd(), 1e-12);
        assertEquals(0.0, m.fracZeroStdGroups(), 0.0);
        assertEquals(4, m.activeTokens());
    }

    /**
     * GRPO with leave-one-out baseline and dual clip c = 3 (G = 2, rewards (1, 0), ε = 0 so s = std = √0.5):
     * b_0 = 0, b_1 = 1 → A = (1/√0.5, −1/√0.5) = (√2, −√2). One token per row, on row 1 ρ = 4 &gt; c:
     * <pre>
     * (0,0) ρ = 1: p = −√2, ∂p/∂u = −√2
     * (1,0) A&lt;0, ρ = 4: p = max(4√2, 1.2√2) = 4√2 &gt; c·|A| = 3√2 → dual clip binds: p = 3√2, ∂p/∂u = 0
     * β = 0, weights ½: loss = ½(−√2 + 3√2) = √2, gradient = [[−√2/2], [0]]; dual fraction ½, high/low 0
     * </pre>
     */
    @Test
    void grpoLeaveOneOutDualClipWorkedExample() {
        GrpoConfig c = G2.toBuilder().advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT).advantageEpsilon(0)
                .dualClip(3).beta(0).build();
        double[][] logpNew = {{-2}, {Math.log(4) - 2}};
        double[][] logpOld = {{-2}, {-2}};
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(dvec(1, 0), dmat(logpNew), dmat(logpOld), null,
                dmat(new double[][] {{1}, {1}})), c);
        double s2 = Math.sqrt(2);
        assertArrayEquals(new double[] {s2, -s2}, Matrices.toVector(r.advantages()), 1e-12);
        assertEquals(s2, r.loss(), 1e-12);
        assertGradient(new double[][] {{-s2 / 2}, {0}}, r, 1e-12);
        assertEquals(0.5, r.metrics().dualClipFraction(), 1e-12);
        assertEquals(0.0, r.metrics().clipFractionRegion(), 1e-12);
    }

    /**
     * Dr. GRPO (G = 2, maxCompletionLength set to 4): no std scaling, so rewards (2, 0) give A = (1, −1);
     * on-policy (ρ = 1); ragged mask [[1, 1, 0], [1, 0, 0]]; weights 1/(N·4) = 1/8 for every active token.
     * <pre>
     * loss = ⅛(−1 − 1 + 1) = −⅛; gradient = ⅛·[[−1, −1, 0], [1, 0, 0]]; tokens 3, ratio mean 1
     * </pre>
     */
    @Test
    void drGrpoWorkedExample() {
        GrpoConfig c = GrpoConfig.drGrpo().toBuilder().groupSize(2).maxCompletionLength(4).build();
        double[][] logpNew = {{-1, -2, -3}, {-0.5, -9, -9}};
        double[][] mask = {{1, 1, 0}, {1, 0, 0}};
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(dvec(2, 0), dmat(logpNew), null, null,
                dmat(mask)), c);
        assertEquals(-0.125, r.loss(), 1e-12);
        assertGradient(new double[][] {{-0.125, -0.125, 0}, {0.125, 0, 0}}, r, 1e-12);
        assertEquals(3, r.metrics().activeTokens());
        assertEquals(1.0, r.metrics().meanRatio(), 1e-12);
    }

    /**
     * Dr. GRPO with an all-equal group: rewards (1, 1) give A = (0, 0) exactly, so loss 0 and gradient 0, and
     * frac_reward_zero_std = 1, reward_std = 0.
     */
    @Test
    void drGrpoAllEqualGroupWorkedExample() {
        GrpoConfig c = GrpoConfig.drGrpo().toBuilder().groupSize(2).build();
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(dvec(1, 1), dmat(new double[][] {{-1}, {-2}}),
                dmat(new double[][] {{-1.5}, {-1}}), null, dmat(new double[][] {{1}, {1}})), c);
        assertArrayEquals(new double[] {0, 0}, Matrices.toVector(r.advantages()), 0.0);
        assertEquals(0.0, r.loss(), 0.0);
        assertGradient(new double[][] {{0}, {0}}, r, 0.0);
        assertEquals(1.0, r.metrics().fracZeroStdGroups(), 0.0);
        assertEquals(0.0, r.metrics().rewardStd(), 0.0);
    }

    /**
     * DAPO (G = 2): clip-higher ε_high = 0.28, token mean. Rewards (1, 0) → A = (a, −a). Mask [[1, 1], [1, 0]]:
     * three tokens, weight ⅓ each. ρ = [[1.25, 1.3], [0.75, ·]]:
     * <pre>
     * (0,0) A&gt;0, ρ = 1.25 &lt; 1.28: unclipped, p = −1.25a, ∂p/∂u = −1.25a
     * (0,1) A&gt;0, ρ = 1.3 &gt; 1.28: p = −1.28a, 0                           (high clip)
     * (1,0) A&lt;0, ρ = 0.75 &lt; 0.8: p = max(0.75a, 0.8a) = 0.8a, 0          (low clip)
     * loss = ⅓(−1.25a − 1.28a + 0.8a) = −1.73a/3; gradient = [[−1.25a/3, 0], [0, 0]]; high = low = ⅓
     * </pre>
     */
    @Test
    void dapoWorkedExample() {
        GrpoConfig c = GrpoConfig.dapo().toBuilder().groupSize(2).build();
        double[][] logpNew = {{Math.log(1.25) - 1, Math.log(1.3) - 1}, {Math.log(0.75) - 1, -1}};
        double[][] logpOld = {{-1, -1}, {-1, -1}};
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(dvec(1, 0), dmat(logpNew), dmat(logpOld), null,
                dmat(new double[][] {{1, 1}, {1, 0}})), c);
        assertEquals(-1.73 * A / 3, r.loss(), 1e-12);
        assertGradient(new double[][] {{-1.25 * A / 3, 0}, {0, 0}}, r, 1e-12);
        assertEquals(1.0 / 3, r.metrics().clipFractionHigh(), 1e-12);
        assertEquals(1.0 / 3, r.metrics().clipFractionLow(), 1e-12);
    }

    /**
     * GSPO (G = 2): one ratio per sequence, s_i = exp(mean_t δ_it), clipped at [1 − 3e-4, 1 + 4e-4]; sequence
     * mean of token means, weights ¼. Rewards (1, 0) → A = (a, −a).
     * <pre>
     * row 0: δ = (0.001, −0.001) → s = e^0 = 1, inside: p = −a per token; ∂p/∂u = −a
     *        gradient per token = m/L · Σ_s w ∂p/∂u = ½ · (2 · ¼ · (−a)) = −a/4
     * row 1: δ = (0.002, 0.002) → s = e^0.002 &gt; 1.0004 but A&lt;0, so the unclipped term is the larger:
     *        p = max(s·a, 1.0004a) = s·a, ∂p/∂u = s·a; gradient per token = ½ · (2 · ¼ · s·a) = s·a/4
     * loss = ¼(−2a + 2sa) = (s − 1)a/2; nothing clipped (ρ &gt; 1 + ε only counts with A &gt; 0)
     * </pre>
     */
    @Test
    void gspoWorkedExample() {
        GrpoConfig c = GrpoConfig.gspo().toBuilder().groupSize(2).build();
        double[][] logpOld = {{-1, -2}, {-1, -2}};
        double[][] logpNew = {{-1 + 0.001, -2 - 0.001}, {-1 + 0.002, -2 + 0.002}};
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(dvec(1, 0), dmat(logpNew), dmat(logpOld), null,
                dmat(new double[][] {{1, 1}, {1, 1}})), c);
        double s = Math.exp(0.002);
        assertEquals((s - 1) * A / 2, r.loss(), 1e-12);
        assertGradient(new double[][] {{-A / 4, -A / 4}, {s * A / 4, s * A / 4}}, r, 1e-12);
        assertEquals(0.0, r.metrics().clipFractionRegion(), 0.0);
        assertEquals((2 + 2 * s) / 4, r.metrics().meanRatio(), 1e-12);
    }

    /**
     * GSPO (G = 2) with the negative-advantage sequence below the band: row 1 δ = (−0.002, −0.002) →
     * s = e^−0.002 &lt; 1 − 3e-4 with A &lt; 0: p = max(s·a, 0.9997a) = 0.9997a, clipped → zero gradient for the
     * whole row. loss = ¼(−2a + 2·0.9997a) = −0.00015a; low clip fraction = 2/4.
     */
    @Test
    void gspoClippedSequenceWorkedExample() {
        GrpoConfig c = GrpoConfig.gspo().toBuilder().groupSize(2).build();
        double[][] logpOld = {{-1, -2}, {-1, -2}};
        double[][] logpNew = {{-1, -2}, {-1 - 0.002, -2 - 0.002}};
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(dvec(1, 0), dmat(logpNew), dmat(logpOld), null,
                dmat(new double[][] {{1, 1}, {1, 1}})), c);
        assertEquals(-0.00015 * A, r.loss(), 1e-12);
        assertGradient(new double[][] {{-A / 4, -A / 4}, {0, 0}}, r, 1e-12);
        assertEquals(0.5, r.metrics().clipFractionLow(), 1e-12);
    }

    /**
     * β = 0 with a reference far from the policy: d = ℓ_ref − ℓ = 99.99, so e^d would overflow FLOAT. The KL
     * term is not part of the objective at β = 0, so loss and gradient must be those without a reference (a loss of
     * {@code policy + 0·∞} would be NaN); the metrics still report the estimate, of d clamped to 20.
     */
    @Test
    void betaZeroLossIgnoresAnOverflowingKlEstimate() {
        GrpoConfig c = G2.toBuilder().beta(0).build();
        INDArray logpNew = mat(2, 2, -100);
        INDArray mask = mat(2, 2, 1);
        ObjectiveResult withRef = objective().evaluate(with(vec(1, 0), logpNew, null, mat(2, 2, -0.01), mask), c);
        ObjectiveResult noRef = objective().evaluate(with(vec(1, 0), logpNew, null, null, mask), c);
        // on-policy, weights 1/(2·2): loss = ¼(−2a + 2a) = 0, gradient ¼·[[−a, −a], [a, a]]
        assertEquals(0.0, withRef.loss(), 1e-7);
        assertEquals(noRef.loss(), withRef.loss(), 0.0);
        assertEquals(noRef.metrics().policyLoss(), withRef.metrics().loss(), 0.0);
        assertGradient(Matrices.toMatrix(noRef.gradient()), withRef, 0.0);
        assertGradient(new double[][] {{-A / 4, -A / 4}, {A / 4, A / 4}}, withRef, 1e-6);
        // d is clamped to 20 (docs/objective.md, "Finite results"): k3 = e^20 − 20 − 1 at every token
        assertEquals(Math.exp(20) - 21, withRef.metrics().meanKl(), 1e-6 * Math.exp(20), "mean KL");
    }

    /**
     * K3 in FLOAT near the reference: d = ℓ_ref − ℓ = 2^-12 ≈ 2.44e-4 at every token, so
     * k3 = e^d − d − 1 ≈ d²/2 + d³/6 ≈ 2.98e-8 per token, which is below FLOAT's resolution at 1 (6e-8):
     * forming e^d − 1 as exp(d) − 1 in FLOAT reports 0 or ±6e-8, often negative. The mean KL must be
     * d²/2 + d³/6 to 1e-4.
     */
    @Test
    void k3KlIsAccurateInFloatNearTheReference() {
        GrpoConfig c = G2.toBuilder().klEstimator(KlEstimator.K3).build();
        double d = Math.scalb(1.0, -12);
        ObjectiveResult r = objective().evaluate(ObjectiveInput.of(vec(1, 0), mat(2, 8, -1), null,
                mat(2, 8, -1 + d), mat(2, 8, 1)), c);
        double k3 = Math.expm1(d) - d;
        assertEquals(k3, r.metrics().meanKl(), 1e-4 * k3, "kl");
        assertEquals(k3, r.metrics().klLoss(), 1e-4 * k3, "loss/kl");
        // ∂k3/∂ℓ = 1 − e^d = −expm1(d): weight 1/16, β = 0.04, plus the on-policy −A/16
        double[][] g = Matrices.toMatrix(r.gradient());
        assertEquals((-A - 0.04 * Math.expm1(d)) / 16, g[0][0], 1e-6 * A / 16);
    }
}
