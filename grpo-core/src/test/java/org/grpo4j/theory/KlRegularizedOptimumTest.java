package org.grpo4j.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link KlRegularizedOptimum} on problems written out by hand: the forward-KL optimum as an explicit Gibbs
 * distribution, the reverse-KL optimum through its stationarity equation, the β → 0 and β → ∞ limits, extreme β
 * without overflow, and every validation message.
 */
class KlRegularizedOptimumTest {

    private static final double[] REF = {0.5, 0.3, 0.2};
    private static final double[] R = {1.0, 0.0, 0.5};

    /** pi* ∝ ref · exp(r/β) written out for β = 0.5: weights 0.5e², 0.3, 0.2e. */
    @Test
    void forwardKlIsTheGibbsDistribution() {
        double w0 = 0.5 * Math.exp(2.0);
        double w1 = 0.3;
        double w2 = 0.2 * Math.exp(1.0);
        double z = w0 + w1 + w2;
        assertArrayEquals(new double[] {w0 / z, w1 / z, w2 / z}, KlRegularizedOptimum.forwardKl(REF, R, 0.5), 1e-15);
        // β = 2: exponents 0.5, 0, 0.25
        double v0 = 0.5 * Math.exp(0.5);
        double v2 = 0.2 * Math.exp(0.25);
        double y = v0 + 0.3 + v2;
        assertArrayEquals(new double[] {v0 / y, 0.3 / y, v2 / y}, KlRegularizedOptimum.forwardKl(REF, R, 2.0), 1e-15);
    }

    /** F(pi*) − F(pi) = β·KL(pi‖pi*) for a few pi, so pi* is the maximiser. */
    @Test
    void forwardKlGapIdentity() {
        double beta = 0.3;
        double[] opt = KlRegularizedOptimum.forwardKl(REF, R, beta);
        double best = KlRegularizedOptimum.forwardObjective(opt, REF, R, beta);
        for (double[] pi : new double[][] {REF, {1, 0, 0}, {0.2, 0.2, 0.6}, {0.7, 0.1, 0.2}}) {
            double gap = best - KlRegularizedOptimum.forwardObjective(pi, REF, R, beta);
            assertEquals(beta * KlRegularizedOptimum.kl(pi, opt), gap, 1e-13);
            assertTrue(gap >= 0);
        }
    }

    /** The reverse optimum satisfies pi_j (ν − r_j/β) = ref_j with ν = 1 + E_pi[r]/β, and sums to 1. */
    @Test
    void reverseKlSatisfiesItsStationarityEquation() {
        double[][] refs = {REF, {0.1, 0.6, 0.3}, {0.01, 0.98, 0.01}};
        double[][] rewards = {R, {1, 0, 0}, {2, -1, 0.5}};
        for (double[] ref : refs) {
            for (double[] r : rewards) {
                for (double beta : new double[] {0.05, 0.3, 1, 10}) {
                    double[] pi = KlRegularizedOptimum.reverseKl(ref, r, beta);
                    double nu = 1 + KlRegularizedOptimum.expectation(pi, r) / beta;
                    double sum = 0;
                    for (int j = 0; j < pi.length; j++) {
                        assertEquals(ref[j], pi[j] * (nu - r[j] / beta), 1e-12 * Math.max(1, nu),
                                "j=" + j + " beta=" + beta);
                        assertTrue(pi[j] > 0);
                        sum += pi[j];
                    }
                    assertEquals(1.0, sum, 1e-14);
                    // a maximiser of R: no worse than the reference or the forward optimum
                    double best = KlRegularizedOptimum.reverseObjective(pi, ref, r, beta);
                    assertTrue(best >= KlRegularizedOptimum.reverseObjective(ref, ref, r, beta) - 1e-15);
                    assertTrue(best >= KlRegularizedOptimum.reverseObjective(
                            KlRegularizedOptimum.forwardKl(ref, r, beta), ref, r, beta) - 1e-15);
                }
            }
        }
    }

    /**
     * A two-output reverse problem in closed form: ref = (½, ½), r = (1, 0), β = 1. pi_0 = ½/(ν − 1), pi_1 = ½/ν,
     * summing to 1: ν² − 2ν + ½ = 0, ν = 1 + 1/√2, so pi_0 = 1/√2.
     */
    @Test
    void reverseKlTwoOutputsByHand() {
        double[] pi = KlRegularizedOptimum.reverseKl(new double[] {0.5, 0.5}, new double[] {1, 0}, 1);
        assertArrayEquals(new double[] {Math.sqrt(0.5), 1 - Math.sqrt(0.5)}, pi, 1e-15);
    }

    /** β = 0: the reference restricted to its best rewards on its support, renormalised (both optima). */
    @Test
    void betaZeroIsTheReferenceOnItsBestRewards() {
        double[] ref = {0.2, 0.3, 0.5};
        double[] r = {1, 1, 0};
        assertArrayEquals(new double[] {0.4, 0.6, 0}, KlRegularizedOptimum.forwardKl(ref, r, 0), 1e-15);
        assertArrayEquals(new double[] {0.4, 0.6, 0}, KlRegularizedOptimum.reverseKl(ref, r, 0), 1e-15);
        // rewards outside the support do not matter: output 0 has the best reward but no reference mass
        double[] ref2 = {0, 0.25, 0.75};
        double[] r2 = {5, 1, 0};
        assertArrayEquals(new double[] {0, 1, 0}, KlRegularizedOptimum.forwardKl(ref2, r2, 0), 0.0);
        assertArrayEquals(new double[] {0, 1, 0}, KlRegularizedOptimum.reverseKl(ref2, r2, 0), 0.0);
        // and small β approaches that limit
        assertArrayEquals(new double[] {0.4, 0.6, 0}, KlRegularizedOptimum.forwardKl(ref, r, 1e-3), 1e-12);
        assertArrayEquals(new double[] {0.4, 0.6, 0}, KlRegularizedOptimum.reverseKl(ref, r, 1e-9), 1e-6);
    }

    /** Outside the reference's support both optima are exactly 0, for any β. */
    @Test
    void supportIsKept() {
        double[] ref = {0, 0.4, 0.6};
        double[] r = {1, 0, 0.5};
        for (double beta : new double[] {0, 0.01, 1, 100}) {
            assertEquals(0.0, KlRegularizedOptimum.forwardKl(ref, r, beta)[0], 0.0);
            assertEquals(0.0, KlRegularizedOptimum.reverseKl(ref, r, beta)[0], 0.0);
        }
    }

    /** Huge β: both optima are the reference (the exponent r/β vanishes). */
    @Test
    void hugeBetaIsTheReference() {
        assertArrayEquals(REF, KlRegularizedOptimum.forwardKl(REF, R, 1e12), 1e-11);
        assertArrayEquals(REF, KlRegularizedOptimum.reverseKl(REF, R, 1e12), 1e-11);
        assertArrayEquals(REF, KlRegularizedOptimum.forwardKl(REF, R, Double.MAX_VALUE), 1e-15);
        assertArrayEquals(REF, KlRegularizedOptimum.reverseKl(REF, R, Double.MAX_VALUE), 1e-15);
    }

    /**
     * Tiny β, down to the smallest positive double where r/β overflows to +∞: no NaN, the best class's reference
     * split (output 0 alone here).
     */
    @Test
    void tinyBetaDoesNotOverflow() {
        double[] ref = {0.2, 0.3, 0.5};
        double[] r = {2, 1, 0};
        for (double beta : new double[] {1e-10, 1e-300, Double.MIN_NORMAL, Double.MIN_VALUE}) {
            assertArrayEquals(new double[] {1, 0, 0}, KlRegularizedOptimum.forwardKl(ref, r, beta), 1e-15,
                    "forward beta=" + beta);
            assertArrayEquals(new double[] {1, 0, 0}, KlRegularizedOptimum.reverseKl(ref, r, beta), 1e-9,
                    "reverse beta=" + beta);
        }
        // a tie at the top keeps the reference split inside the best class
        double[] tie = {2, 2, 0};
        assertArrayEquals(new double[] {0.4, 0.6, 0}, KlRegularizedOptimum.forwardKl(ref, tie, Double.MIN_VALUE),
                1e-15);
        assertArrayEquals(new double[] {0.4, 0.6, 0}, KlRegularizedOptimum.reverseKl(ref, tie, Double.MIN_VALUE),
                1e-15);
    }

    /** Large rewards with moderate β: the shift by the largest exponent keeps exp finite. */
    @Test
    void largeRewardsDoNotOverflow() {
        double[] pi = KlRegularizedOptimum.forwardKl(new double[] {0.5, 0.5}, new double[] {1000, 999}, 1);
        double e = Math.exp(-1);
        assertArrayEquals(new double[] {1 / (1 + e), e / (1 + e)}, pi, 1e-15);
    }

    /** KL, expectation and the objectives by hand. */
    @Test
    void helpersByHand() {
        double[] p = {0.5, 0.5, 0};
        double[] q = {0.25, 0.25, 0.5};
        assertEquals(Math.log(2), KlRegularizedOptimum.kl(p, q), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, KlRegularizedOptimum.kl(q, p), 0.0);
        assertEquals(0.0, KlRegularizedOptimum.kl(q, q), 0.0);
        assertEquals(0.5 + 0.1, KlRegularizedOptimum.expectation(REF, R), 1e-15);
        double[] r = {1, 0, 0};
        assertEquals(0.5 - 0.1 * Math.log(2), KlRegularizedOptimum.forwardObjective(p, q, r, 0.1), 1e-15);
        assertEquals(Double.NEGATIVE_INFINITY, KlRegularizedOptimum.reverseObjective(p, q, r, 0.1), 0.0);
        assertEquals(0.5, KlRegularizedOptimum.reverseObjective(p, q, r, 0), 0.0); // β = 0: no KL term at all
    }

    @Test
    void validationMessages() {
        double[] r3 = {1, 0, 0};
        assertMessage(() -> KlRegularizedOptimum.forwardKl(new double[] {0.5, 0.3, 0.1}, r3, 1),
                "reference must sum to 1, summed to 0.9");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(new double[] {1.1, -0.1, 0}, r3, 1),
                "reference[0] must be a probability in [0, 1], was 1.1");
        assertMessage(() -> KlRegularizedOptimum.reverseKl(new double[] {0.6, -0.1, 0.5}, r3, 1),
                "reference[1] must be a probability in [0, 1], was -0.1");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(new double[] {0.5, Double.NaN, 0.5}, r3, 1),
                "reference[1] must be a probability in [0, 1], was NaN");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(new double[0], new double[0], 1),
                "reference must not be empty");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(null, r3, 1), "reference must not be null");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(REF, new double[] {1, 0}, 1),
                "rewards length (2) must equal the number of outputs (3)");
        assertMessage(() -> KlRegularizedOptimum.reverseKl(REF, null, 1), "rewards must not be null");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(REF, new double[] {1, Double.NaN, 0}, 1),
                "rewards[1] must be finite, was NaN");
        assertMessage(() -> KlRegularizedOptimum.reverseKl(REF, new double[] {1, 0, Double.POSITIVE_INFINITY}, 1),
                "rewards[2] must be finite, was Infinity");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(REF, r3, -1), "beta must be finite and ≥ 0, was -1.0");
        assertMessage(() -> KlRegularizedOptimum.reverseKl(REF, r3, Double.NaN), "beta must be finite and ≥ 0, was NaN");
        assertMessage(() -> KlRegularizedOptimum.forwardKl(REF, r3, Double.POSITIVE_INFINITY),
                "beta must be finite and ≥ 0, was Infinity");
        assertMessage(() -> KlRegularizedOptimum.forwardObjective(new double[] {0.5, 0.5}, REF, r3, 1),
                "pi length (2) must equal 3");
        assertMessage(() -> KlRegularizedOptimum.reverseObjective(new double[] {0.5, 0.6, 0}, REF, r3, 1),
                "pi must sum to 1, summed to 1.1");
        assertMessage(() -> KlRegularizedOptimum.kl(new double[] {1}, REF), "q length (3) must equal 1");
        assertMessage(() -> KlRegularizedOptimum.kl(new double[] {2, -1}, new double[] {0.5, 0.5}),
                "p[0] must be a probability in [0, 1], was 2.0");
        assertMessage(() -> KlRegularizedOptimum.expectation(REF, new double[] {1, 2}),
                "rewards length (2) must equal the number of outputs (3)");
    }

    static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                    () -> "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }
}
