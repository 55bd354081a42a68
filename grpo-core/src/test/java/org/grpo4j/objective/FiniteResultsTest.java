package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.KlEstimator;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.testing.Matrices;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The overflow cases of {@code docs/objective.md} "Finite results", worked by hand: log-ratios past FLOAT's
 * {@code exp} range (≥ 89), log-probabilities whose FLOAT difference overflows, a k3 log-ratio of 100, and a β or
 * an advantage too large for the data type. Each one made the loss or the gradient ±∞ or NaN before the log-ratios
 * were clamped to [−20, 20] and the magnitudes were checked.
 *
 * <p>Every batch is one group of G = 2 one-token sequences with precomputed advantages A = (+1, −1) (rewards
 * (1, 0) only feed the reward metrics) and the GRPO aggregation, so each token weighs w = 1/(1·2) = ½. With
 * B = e^20 ≈ 4.85e8, a log-ratio u ≥ 20 gives ρ = B, and the clamp's derivative 0:
 * <pre>
 *   A = +1: p = max(−B, −1.2) = −1.2 (clipped), ∂p/∂ℓ = 0
 *   A = −1: p = max(B, 1.2) = B (unclipped, but the clamp cut u), ∂p/∂ℓ = 0; with dual clip c = 3: p = 3
 * </pre>
 * {@link FusedFiniteResultsTest} runs every case on the fused objective, {@link ReferenceFiniteResultsTest} on the
 * test suite's reference.
 */
class FiniteResultsTest {

    private static final double B = Math.exp(20);

    /** G = 2, GRPO defaults otherwise (ε = 0.2, β = 0.04, K3, sequence mean of token means). */
    private static final GrpoConfig G2 = GrpoConfig.grpo().toBuilder().groupSize(2).build();

    /** @return the objective under test */
    GrpoObjective objective() {
        return Nd4jGrpoObjective.create();
    }

    private static INDArray col(DataType type, double... v) {
        double[][] m = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            m[i][0] = v[i];
        }
        return Matrices.matrix(m, type);
    }

    private ObjectiveResult run(GrpoConfig c, DataType type, double[] logpNew, double[] logpOld, double[] logpRef) {
        ObjectiveInput in = new ObjectiveInput(Matrices.vector(new double[] {1, 0}, type),
                Matrices.vector(new double[] {1, -1}, type), col(type, logpNew),
                logpOld == null ? null : col(type, logpOld), logpRef == null ? null : col(type, logpRef),
                col(type, 1, 1));
        return objective().evaluate(in, c);
    }

    private static void assertFinite(ObjectiveResult r) {
        assertTrue(Double.isFinite(r.loss()), "loss " + r.loss());
        for (double[] row : Matrices.toMatrix(r.gradient())) {
            for (double g : row) {
                assertTrue(Double.isFinite(g), "gradient entry " + g);
            }
        }
        r.metrics().asMap().forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v));
    }

    private static void assertResult(double loss, double g0, double g1, ObjectiveResult r) {
        assertFinite(r);
        assertEquals(loss, r.loss(), 1e-6 * Math.max(1, Math.abs(loss)), "loss");
        double[][] g = Matrices.toMatrix(r.gradient());
        assertEquals(g0, g[0][0], 1e-6, "gradient[0, 0]");
        assertEquals(g1, g[1][0], 1e-6, "gradient[1, 0]");
    }

    /** u = ℓ − ℓ_old ∈ {89, 100, 1000} in FLOAT, β = 0: loss = ½(−1.2 + B), gradient 0 (was +∞ and NaN). */
    @Test
    void floatLogRatiosPastExpRangeGiveTheClampedLoss() {
        GrpoConfig c = G2.toBuilder().beta(0).build();
        for (double u : new double[] {89, 100, 1000}) {
            ObjectiveResult r = run(c, DataType.FLOAT, new double[] {-1, -1}, new double[] {-1 - u, -1 - u}, null);
            assertResult(0.5 * (-1.2 + B), 0, 0, r);
            assertEquals(B, r.metrics().meanRatio(), 1e-6 * B, "ratio/mean at u = " + u);
        }
    }

    /** Same with β = 0.04 and ℓ_ref = ℓ (k = 0): the same loss and gradient. */
    @Test
    void floatLogRatioOf100WithAKlTermGivesTheClampedLoss() {
        ObjectiveResult r = run(G2, DataType.FLOAT, new double[] {-1, -1}, new double[] {-101, -101},
                new double[] {-1, -1});
        assertResult(0.5 * (-1.2 + B), 0, 0, r);
    }

    /** Dual clip c = 3: the negative-advantage token is capped, p = 3: loss = ½(−1.2 + 3) = 0.9 (gradient was NaN). */
    @Test
    void dualClipOfAnOverflowingRatioHasAZeroGradient() {
        GrpoConfig c = G2.toBuilder().beta(0).dualClip(3).build();
        ObjectiveResult r = run(c, DataType.FLOAT, new double[] {-1, -1}, new double[] {-101, -101}, null);
        assertResult(0.9, 0, 0, r);
        assertEquals(0.5, r.metrics().dualClipFraction(), 0.0);
    }

    /** GSPO, sequence log-ratio 100: ε_high = 4e-4, so p = (−1.0004, B): loss = ½(−1.0004 + B), gradient 0. */
    @Test
    void gspoSequenceLogRatioOf100GivesTheClampedLoss() {
        GrpoConfig c = GrpoConfig.gspo().toBuilder().groupSize(2).build();
        ObjectiveResult r = run(c, DataType.FLOAT, new double[] {-1, -1}, new double[] {-101, -101}, null);
        assertResult(0.5 * (-1.0004 + B), 0, 0, r);
    }

    /**
     * FLOAT log-probabilities ±3e38, finite, whose difference overflows FLOAT: ℓ − ℓ_old = +∞ in FLOAT reads as 20,
     * and ℓ_ref − ℓ = −∞ clamps to d = −20: k3 = e^−20 + 19, its derivative 0. loss = ½(−1.2 + B) +
     * 0.04·(e^−20 + 19) (the two tokens' k3 weighted ½ each).
     */
    @Test
    void floatDifferencesThatOverflowAreClamped() {
        ObjectiveResult r = run(G2, DataType.FLOAT, new double[] {3e38, 3e38}, new double[] {-3e38, -3e38},
                new double[] {-3e38, -3e38});
        assertResult(0.5 * (-1.2 + B) + 0.04 * (Math.exp(-20) + 19), 0, 0, r);
    }

    /**
     * DOUBLE GSPO with ℓ = 1e308, ℓ_old = −1e308 on two tokens: the row sum overflows double; the mean log-ratio is
     * then formed from the means (1e308 − (−1e308) = +∞ → 20). loss = ½(−1.0004 + B), gradient 0.
     */
    @Test
    void doubleSequenceSumThatOverflowsIsClamped() {
        GrpoConfig c = GrpoConfig.gspo().toBuilder().groupSize(2).build();
        ObjectiveInput in = new ObjectiveInput(Matrices.vector(new double[] {1, 0}, DataType.DOUBLE),
                Matrices.vector(new double[] {1, -1}, DataType.DOUBLE),
                Matrices.matrix(new double[][] {{1e308, 1e308}, {1e308, 1e308}}, DataType.DOUBLE),
                Matrices.matrix(new double[][] {{-1e308, -1e308}, {-1e308, -1e308}}, DataType.DOUBLE), null,
                Matrices.matrix(new double[][] {{1, 1}, {1, 1}}, DataType.DOUBLE));
        ObjectiveResult r = objective().evaluate(in, c);
        assertFinite(r);
        assertEquals(0.5 * (-1.0004 + B), r.loss(), 1e-9 * B);
    }

    /**
     * k3 with d = ℓ_ref − ℓ = 100 (ℓ = −100, ℓ_ref = 0), on-policy: p = −A, ∂p/∂ℓ = −A·½; k3 = e^20 − 20 − 1
     * (d clamped to 20) at both tokens, its derivative 0. loss = ½(−1 + 1) + 0.04·(B − 21) (loss was +∞), gradient
     * (−½, ½) (was −∞).
     */
    @Test
    void k3WithAReferenceLogRatioOf100IsClamped() {
        ObjectiveResult r = run(G2, DataType.FLOAT, new double[] {-100, -100}, null, new double[] {0, 0});
        assertResult(0.04 * (B - 21), -0.5, 0.5, r);
        assertEquals(B - 21, r.metrics().meanKl(), 1e-6 * B);
    }

    /**
     * The clamp's bounds are inside: d = 20 exactly (ℓ = −20, ℓ_ref = 0) keeps its derivative 1 − e^20. K3, β at
     * FLOAT's limit 1.75e29, on-policy: gradient = ½(−A) + ½·β(1 − B) per token, about −β·B/2 ≈ −4.25e37, finite.
     */
    @Test
    void largestAdmittedBetaAtTheClampBoundStaysFinite() {
        double beta = 1.75e29;
        GrpoConfig c = G2.toBuilder().beta(beta).build();
        ObjectiveResult r = run(c, DataType.FLOAT, new double[] {-20, -20}, null, new double[] {0, 0});
        assertFinite(r);
        double[][] g = Matrices.toMatrix(r.gradient());
        double expected = 0.5 * beta * (1 - B);
        assertEquals(expected, g[0][0], 1e-5 * Math.abs(expected));
        assertEquals(beta * (B - 21), r.loss(), 1e-5 * beta * B);
    }

    /** β = 1e300 with FLOAT log-probabilities: β · e^20 overflows FLOAT; rejected, naming beta, its value and FLOAT. */
    @Test
    void betaThatOverflowsFloatIsRejected() {
        GrpoConfig c = G2.toBuilder().beta(1e300).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(c, DataType.FLOAT, new double[] {-1, -1}, null, new double[] {-1, -1}));
        assertMessage(e, "beta", "1.0E300", "FLOAT");
        GrpoConfig justAbove = G2.toBuilder().beta(2e29).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> run(justAbove, DataType.FLOAT, new double[] {-1, -1}, null, new double[] {-1, -1}));
        assertMessage(e, "beta", "2.0E29", "FLOAT");
        e = assertThrows(IllegalArgumentException.class,
                () -> run(c, DataType.DOUBLE, new double[] {-1, -1}, null, new double[] {-1, -1}));
        assertMessage(e, "beta", "1.0E300", "DOUBLE");
        assertFinite(run(G2.toBuilder().beta(1e298).build(), DataType.DOUBLE, new double[] {-1, -1}, null,
                new double[] {-21, -21}));
    }

    /** A precomputed advantage of 1e300 (a DOUBLE vector) with FLOAT log-probabilities: rejected, not ±∞. */
    @Test
    void precomputedAdvantageThatOverflowsFloatIsRejected() {
        ObjectiveInput in = new ObjectiveInput(Matrices.vector(new double[] {1, 0}, DataType.DOUBLE),
                Matrices.vector(new double[] {1, 1e300}, DataType.DOUBLE), col(DataType.FLOAT, -1, -1), null, null,
                col(DataType.FLOAT, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> objective().evaluate(in, G2.toBuilder().beta(0).build()));
        assertMessage(e, "advantages[1]", "1.0E300", "FLOAT");
        ObjectiveInput representable = in.withAdvantages(Matrices.vector(new double[] {-1e30, 1}, DataType.FLOAT));
        e = assertThrows(IllegalArgumentException.class,
                () -> objective().evaluate(representable, G2.toBuilder().beta(0).build()));
        assertMessage(e, "advantages[0]", "FLOAT");
    }

    /** K1 and K2 clamp d too: d = −1e3 (ℓ = 0, ℓ_ref = −1e3) gives k1 = 20, k2 = 200, derivatives 0. */
    @Test
    void k1AndK2ClampTheReferenceLogRatio() {
        for (KlEstimator k : new KlEstimator[] {KlEstimator.K1, KlEstimator.K2}) {
            GrpoConfig c = G2.toBuilder().klEstimator(k).importanceLevel(ImportanceLevel.TOKEN).build();
            ObjectiveResult r = run(c, DataType.FLOAT, new double[] {0, 0}, null, new double[] {-1e3, -1e3});
            double kl = k == KlEstimator.K1 ? 20 : 200;
            assertResult(0.04 * kl, -0.5, 0.5, r);
        }
    }

    private static void assertMessage(IllegalArgumentException e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }
}
