package org.grpo4j.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grpo4j.SamplingConfig;
import org.junit.jupiter.api.Test;

/** {@link TokenSampler} on distributions worked out by hand, a frequency check of draw, and rejected input. */
class TokenSamplerTest {

    private static final SamplingConfig PLAIN = SamplingConfig.defaults();

    /** logits ln(1), ln(2), ln(3), ln(4): softmax is (1, 2, 3, 4)/10. */
    private static final float[] LN1234 = {0f, (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};

    @Test
    void softmaxOfLogProportions() {
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, TokenSampler.distribution(LN1234, PLAIN), 1e-7);
    }

    /** Temperature 2 takes square roots: (1, √2, √3, 2)/(3 + √2 + √3). */
    @Test
    void temperatureTwoTakesSquareRoots() {
        double z = 3 + Math.sqrt(2) + Math.sqrt(3);
        assertArrayEquals(new double[] {1 / z, Math.sqrt(2) / z, Math.sqrt(3) / z, 2 / z},
                TokenSampler.distribution(LN1234, PLAIN.withTemperature(2)), 1e-7);
    }

    /** Top-2 keeps 3 and 4: (0, 0, 3/7, 4/7). */
    @Test
    void topTwoKeepsTheTwoMostLikely() {
        assertArrayEquals(new double[] {0, 0, 3.0 / 7, 4.0 / 7},
                TokenSampler.distribution(LN1234, PLAIN.withTopK(2)), 1e-7);
    }

    /** Top-k with ties keeps exactly k, lowest ids first: logits (1, 1, 1, 0), k = 2 → tokens 0 and 1. */
    @Test
    void topKWithTiesKeepsExactlyK() {
        double[] p = TokenSampler.distribution(new float[] {1, 1, 1, 0}, PLAIN.withTopK(2));
        assertArrayEquals(new double[] {0.5, 0.5, 0, 0}, p, 1e-12);
    }

    /**
     * Top-p 0.65 on (0.1, 0.2, 0.3, 0.4): 0.4 &lt; 0.65, 0.4 + 0.3 = 0.7 ≥ 0.65 → keep {4, 3}: (0, 0, 3/7, 4/7).
     * Top-p 0.7 needs the same two (0.7 reaches 0.7 only up to rounding, so use 0.69).
     */
    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        assertArrayEquals(new double[] {0, 0, 3.0 / 7, 4.0 / 7},
                TokenSampler.distribution(LN1234, PLAIN.withTopP(0.65)), 1e-7);
        assertArrayEquals(new double[] {0, 0, 3.0 / 7, 4.0 / 7},
                TokenSampler.distribution(LN1234, PLAIN.withTopP(0.69)), 1e-7);
        assertArrayEquals(new double[] {0, 0, 0, 1}, TokenSampler.distribution(LN1234, PLAIN.withTopP(0.3)), 1e-12);
        assertArrayEquals(new double[] {0, 2.0 / 9, 3.0 / 9, 4.0 / 9},
                TokenSampler.distribution(LN1234, PLAIN.withTopP(0.85)), 1e-7);
    }

    /** Min-p 0.6: threshold 0.6 · 0.4 = 0.24 → keep 0.3 and 0.4. */
    @Test
    void minPDropsTokensBelowTheScaledMaximum() {
        assertArrayEquals(new double[] {0, 0, 3.0 / 7, 4.0 / 7},
                TokenSampler.distribution(LN1234, PLAIN.withMinP(0.6)), 1e-7);
    }

    /** Top-k 3 → (2, 3, 4)/9; top-p 0.5 on that: 4/9 &lt; 0.5, 7/9 ≥ 0.5 → (0, 0, 3/7, 4/7). */
    @Test
    void filtersApplyInOrderOnTheRenormalisedDistribution() {
        assertArrayEquals(new double[] {0, 0, 3.0 / 7, 4.0 / 7},
                TokenSampler.distribution(LN1234, PLAIN.withTopK(3).withTopP(0.5)), 1e-7);
    }

    @Test
    void greedyIsTheArgMaxWithTiesToTheLowestId() {
        assertArrayEquals(new double[] {0, 0, 0, 1}, TokenSampler.distribution(LN1234, PLAIN.withGreedy(true)), 0);
        assertArrayEquals(new double[] {0, 1, 0, 0},
                TokenSampler.distribution(new float[] {-1, 2, 2, 0}, PLAIN.withGreedy(true)), 0);
    }

    /**
     * 100 000 draws from (0.1, 0.2, 0.3, 0.4, 0) with a fixed seed: no draw of the zero-probability token, and
     * Pearson's χ² with 3 degrees of freedom below 30 (its 99.9999th percentile is about 30.7; for a fixed seed the
     * outcome is deterministic, the bound is loose so that any correct inversion passes).
     */
    @Test
    void drawFrequenciesMatchTheProbabilities() {
        double[] p = {0.1, 0.2, 0.3, 0.4, 0};
        int n = 100_000;
        int[] counts = new int[p.length];
        SplittableRandom rng = new SplittableRandom(20250101L);
        for (int k = 0; k < n; k++) {
            counts[TokenSampler.draw(p, rng)]++;
        }
        assertEquals(0, counts[4], "the zero-probability token was drawn");
        double chi2 = 0;
        for (int i = 0; i < 4; i++) {
            double e = n * p[i];
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        assertTrue(chi2 < 30, "chi-square " + chi2 + " for counts " + java.util.Arrays.toString(counts));
    }

    @Test
    void drawFromAOneHotAlwaysGivesThatToken() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 1000; k++) {
            assertEquals(2, TokenSampler.draw(new double[] {0, 0, 1, 0}, rng));
        }
    }

    @Test
    void nanLogitIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenSampler.distribution(new float[] {0, Float.NaN, 1}, PLAIN));
        assertTrue(e.getMessage().contains("logits") && e.getMessage().contains("NaN")
                && e.getMessage().contains("1"), e.getMessage());
    }

    @Test
    void infiniteLogitIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenSampler.distribution(new float[] {Float.NEGATIVE_INFINITY, 0}, PLAIN));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void emptyLogitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TokenSampler.distribution(new float[0], PLAIN));
    }

    @Test
    void drawWithoutMassIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> TokenSampler.draw(new double[] {0, 0}, new SplittableRandom(1)));
    }
}
