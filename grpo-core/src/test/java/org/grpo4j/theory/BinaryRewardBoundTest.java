package org.grpo4j.theory;

import static org.grpo4j.theory.KlRegularizedOptimumTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link BinaryRewardBound}: the paper's ceiling Q e^{1/β} / (Q e^{1/β} + 1 − Q) at hand-picked points, its gain and
 * the gain's slopes and maximum, the reverse-KL ceiling as the root of its quadratic, the edge cases Q = 0 and 1,
 * huge and tiny β, agreement with {@link KlRegularizedOptimum} on a two-output problem, and every validation
 * message.
 */
class BinaryRewardBoundTest {

    private static double paperCeiling(double q, double beta) {
        double e = Math.exp(1 / beta);
        return q * e / (q * e + 1 - q);
    }

    @Test
    void ceilingMatchesThePaperFormula() {
        for (double q : new double[] {0.01, 0.1, 0.2, 0.5, 0.9, 0.999}) {
            for (double beta : new double[] {0.1, 0.5, 1, 4}) {
                double expected = paperCeiling(q, beta);
                assertEquals(expected, BinaryRewardBound.ceiling(q, beta), 1e-15, "q=" + q + " beta=" + beta);
                assertEquals(expected - q, BinaryRewardBound.gain(q, beta), 1e-15, "q=" + q + " beta=" + beta);
                assertEquals(expected, BinaryRewardBound.forwardKlCeiling(q, 1 / beta), 1e-15);
                assertEquals(expected - q, BinaryRewardBound.forwardKlGain(q, 1 / beta), 1e-15);
            }
        }
        // by hand: Q = 0.2, β = 0.5: 0.2e² / (0.2e² + 0.8)
        double e2 = Math.exp(2);
        assertEquals(0.2 * e2 / (0.2 * e2 + 0.8), BinaryRewardBound.ceiling(0.2, 0.5), 1e-16);
        // Q = ½, β = 1: e / (e + 1), logit shifted by exactly 1
        assertEquals(Math.E / (Math.E + 1), BinaryRewardBound.ceiling(0.5, 1), 1e-16);
    }

    /** The ceiling is the success mass of the forward-KL optimum on a two-output problem (and a four-output one). */
    @Test
    void ceilingIsTheForwardOptimumsSuccessMass() {
        for (double q : new double[] {0.05, 0.3, 0.8}) {
            for (double beta : new double[] {0.2, 1, 3}) {
                double[] two = KlRegularizedOptimum.forwardKl(new double[] {q, 1 - q}, new double[] {1, 0}, beta);
                assertEquals(two[0], BinaryRewardBound.ceiling(q, beta), 1e-15);
                double[] four = KlRegularizedOptimum.forwardKl(new double[] {q / 4, 3 * q / 4, (1 - q) / 2,
                    (1 - q) / 2}, new double[] {1, 1, 0, 0}, beta);
                assertEquals(four[0] + four[1], BinaryRewardBound.ceiling(q, beta), 1e-15);
                double[] rev = KlRegularizedOptimum.reverseKl(new double[] {q, 1 - q}, new double[] {1, 0}, beta);
                assertEquals(rev[0], BinaryRewardBound.reverseKlCeiling(q, 1 / beta), 1e-12);
            }
        }
    }

    /** The reverse ceiling p is the root in [Q, 1] of s p² + (1 − s) p − Q = 0, on both sides of s = 1. */
    @Test
    void reverseCeilingSolvesItsQuadratic() {
        for (double q : new double[] {1e-6, 0.01, 0.2, 0.5, 0.95}) {
            for (double s : new double[] {0.1, 0.5, 1, 2, 10, 1e4}) {
                double p = BinaryRewardBound.reverseKlCeiling(q, s);
                assertTrue(p >= q && p <= 1, "q=" + q + " s=" + s);
                assertEquals(0.0, s * p * p + (1 - s) * p - q, 1e-15 * Math.max(1, s), "q=" + q + " s=" + s);
                assertEquals(s * p * (1 - p), BinaryRewardBound.reverseKlGain(q, s), 1e-15 * Math.max(1, s));
                assertEquals(p - q, BinaryRewardBound.reverseKlGain(q, s), 1e-14 * Math.max(1, s));
            }
        }
        // s = 1 by hand: p² = Q, p = √Q
        assertEquals(0.5, BinaryRewardBound.reverseKlCeiling(0.25, 1), 1e-16);
        // s > 1 and Q → 0: tends to 1 − 1/s, unlike the forward ceiling
        assertEquals(0.75, BinaryRewardBound.reverseKlCeiling(1e-12, 4), 1e-11);
        assertEquals(0.0, BinaryRewardBound.forwardKlCeiling(1e-12, 4), 1e-9);
        // strength 0: no move
        assertEquals(0.3, BinaryRewardBound.reverseKlCeiling(0.3, 0), 0.0);
        assertEquals(0.0, BinaryRewardBound.reverseKlGain(0.3, 0), 0.0);
    }

    /** Q = 0 and Q = 1 are exact: no correct output stays no correct output, all correct stays all correct. */
    @Test
    void endpointsAreExact() {
        for (double beta : new double[] {1e-300, 0.01, 1, 1e300}) {
            assertEquals(0.0, BinaryRewardBound.ceiling(0, beta), 0.0);
            assertEquals(1.0, BinaryRewardBound.ceiling(1, beta), 0.0);
            assertEquals(0.0, BinaryRewardBound.gain(0, beta), 0.0);
            assertEquals(0.0, BinaryRewardBound.gain(1, beta), 0.0);
        }
        for (double s : new double[] {0, 1, 1e6, Double.POSITIVE_INFINITY}) {
            assertEquals(0.0, BinaryRewardBound.forwardKlCeiling(0, s), 0.0);
            assertEquals(1.0, BinaryRewardBound.forwardKlCeiling(1, s), 0.0);
            assertEquals(0.0, BinaryRewardBound.forwardKlGain(0, s), 0.0);
            assertEquals(0.0, BinaryRewardBound.forwardKlGain(1, s), 0.0);
        }
        for (double s : new double[] {0, 1, 1e6}) {
            assertEquals(0.0, BinaryRewardBound.reverseKlCeiling(0, s), 0.0);
            assertEquals(1.0, BinaryRewardBound.reverseKlCeiling(1, s), 0.0);
            assertEquals(0.0, BinaryRewardBound.reverseKlGain(0, s), 0.0);
            assertEquals(0.0, BinaryRewardBound.reverseKlGain(1, s), 0.0);
        }
    }

    /** Huge β: the ceiling is Q (gain ≈ Q(1 − Q)/β); tiny β or infinite strength: 1, without overflow or NaN. */
    @Test
    void extremeRegularisation() {
        assertEquals(0.3, BinaryRewardBound.ceiling(0.3, 1e300), 1e-15);
        assertEquals(0.3 * 0.7 / 1e6, BinaryRewardBound.gain(0.3, 1e6), 1e-12);
        assertEquals(1.0, BinaryRewardBound.ceiling(0.3, 1e-300), 0.0);
        assertEquals(0.7, BinaryRewardBound.gain(0.3, 1e-300), 1e-15);
        assertEquals(1.0, BinaryRewardBound.ceiling(1e-9, Double.MIN_VALUE), 0.0);
        assertEquals(1.0, BinaryRewardBound.forwardKlCeiling(0.3, Double.POSITIVE_INFINITY), 0.0);
        assertEquals(0.7, BinaryRewardBound.forwardKlGain(0.3, Double.POSITIVE_INFINITY), 1e-15);
        assertEquals(0.3, BinaryRewardBound.forwardKlCeiling(0.3, 0), 0.0);
        assertEquals(0.0, BinaryRewardBound.forwardKlGain(0.3, 0), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, BinaryRewardBound.gainSlopeAtZero(1e-3), 0.0);
        assertEquals(1.0, BinaryRewardBound.gainSlopeAtOne(1e-3), 0.0);
        // small gains do not cancel: Q = 1e-12, β = 1 gives (e − 1)·Q to first order
        assertEquals((Math.E - 1) * 1e-12, BinaryRewardBound.gain(1e-12, 1), 1e-22);
        double p = BinaryRewardBound.reverseKlCeiling(0.5, 1e12);
        assertTrue(p < 1 && p > 1 - 1e-11, "p=" + p);
    }

    /**
     * The slopes: gain/Q → e^{1/β} − 1 as Q → 0 and gain/(1 − Q) → 1 − e^{−1/β} as Q → 1, within the documented
     * error bounds e^{1/β}(e^{1/β} − 1)·Q and (1 − e^{−1/β})(1 − Q).
     */
    @Test
    void gainSlopesAtTheEnds() {
        for (double beta : new double[] {0.25, 1, 5}) {
            double e = Math.exp(1 / beta);
            assertEquals(e - 1, BinaryRewardBound.gainSlopeAtZero(beta), 1e-13 * e);
            assertEquals(1 - 1 / e, BinaryRewardBound.gainSlopeAtOne(beta), 1e-15);
            for (double q : new double[] {1e-2, 1e-4, 1e-6}) {
                double d0 = BinaryRewardBound.gainSlopeAtZero(beta) - BinaryRewardBound.gain(q, beta) / q;
                assertTrue(d0 >= -1e-12 && d0 <= e * (e - 1) * q + 1e-12, "beta=" + beta + " q=" + q + ": " + d0);
                double d1 = BinaryRewardBound.gainSlopeAtOne(beta) - BinaryRewardBound.gain(1 - q, beta) / q;
                assertTrue(d1 >= -1e-9 && d1 <= (1 - 1 / e) * q + 1e-9, "beta=" + beta + " q=" + q + ": " + d1);
            }
        }
    }

    /**
     * The largest gain is tanh(1/(4β)) at Q* = 1/(1 + e^{1/(2β)}); by hand at β = ½: Q* = 1/(1 + e), gain
     * tanh(½) = (e − 1)/(e + 1). Neighbouring Q give less.
     */
    @Test
    void maximumGain() {
        assertEquals(1 / (1 + Math.E), BinaryRewardBound.argMaxGain(0.5), 1e-16);
        assertEquals((Math.E - 1) / (Math.E + 1), BinaryRewardBound.maxGain(0.5), 1e-15);
        for (double beta : new double[] {0.1, 0.5, 2}) {
            double qStar = BinaryRewardBound.argMaxGain(beta);
            double g = BinaryRewardBound.maxGain(beta);
            assertEquals(g, BinaryRewardBound.gain(qStar, beta), 1e-14);
            for (double f : new double[] {0.5, 0.99, 1.01, 1.5}) {
                assertTrue(BinaryRewardBound.gain(qStar * f, beta) < g, "beta=" + beta + " f=" + f);
            }
            assertTrue(qStar > 0 && qStar < 0.5);
        }
    }

    @Test
    void validationMessages() {
        assertMessage(() -> BinaryRewardBound.ceiling(-0.1, 1), "q must be in [0.0, 1.0], was -0.1");
        assertMessage(() -> BinaryRewardBound.ceiling(1.5, 1), "q must be in [0.0, 1.0], was 1.5");
        assertMessage(() -> BinaryRewardBound.gain(Double.NaN, 1), "q must be in [0.0, 1.0], was NaN");
        assertMessage(() -> BinaryRewardBound.forwardKlCeiling(2, 1), "q must be in [0.0, 1.0], was 2.0");
        assertMessage(() -> BinaryRewardBound.reverseKlCeiling(-1, 1), "q must be in [0.0, 1.0], was -1.0");
        assertMessage(() -> BinaryRewardBound.reverseKlGain(1.01, 1), "q must be in [0.0, 1.0], was 1.01");
        assertMessage(() -> BinaryRewardBound.ceiling(0.5, 0), "beta must be finite and > 0, was 0.0");
        assertMessage(() -> BinaryRewardBound.ceiling(0.5, -1), "beta must be finite and > 0, was -1.0");
        assertMessage(() -> BinaryRewardBound.gain(0.5, Double.NaN), "beta must be finite and > 0, was NaN");
        assertMessage(() -> BinaryRewardBound.ceiling(0.5, Double.POSITIVE_INFINITY),
                "beta must be finite and > 0, was Infinity");
        assertMessage(() -> BinaryRewardBound.gainSlopeAtZero(0), "beta must be finite and > 0, was 0.0");
        assertMessage(() -> BinaryRewardBound.gainSlopeAtOne(-2), "beta must be finite and > 0, was -2.0");
        assertMessage(() -> BinaryRewardBound.maxGain(Double.NaN), "beta must be finite and > 0, was NaN");
        assertMessage(() -> BinaryRewardBound.argMaxGain(0), "beta must be finite and > 0, was 0.0");
        assertMessage(() -> BinaryRewardBound.forwardKlCeiling(0.5, Double.NaN), "strength must be ≥ 0, was NaN");
        assertMessage(() -> BinaryRewardBound.forwardKlGain(0.5, -1), "strength must be ≥ 0, was -1.0");
        assertMessage(() -> BinaryRewardBound.reverseKlCeiling(0.5, Double.NaN),
                "strength must be finite and ≥ 0, was NaN");
        assertMessage(() -> BinaryRewardBound.reverseKlCeiling(0.5, Double.POSITIVE_INFINITY),
                "strength must be finite and ≥ 0, was Infinity");
        assertMessage(() -> BinaryRewardBound.reverseKlGain(0.5, -0.5), "strength must be finite and ≥ 0, was -0.5");
    }
}
