package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Advantages} at the ends of the double range: the advantages do not depend on the rewards' scale, and what
 * cannot be represented is an {@link AdvantageRangeException} naming the rewards. Each case gave ±Infinity, NaN or
 * silent zeros before the moments were computed scale-free.
 */
class AdvantagesRangeTest {
    private static final GrpoConfig G4_EPS0 = GrpoConfig.builder().groupSize(4).advantageEpsilon(0).build();

    /**
     * One success in four, (1, 0, 0, 0): mean ¼, deviations (¾, −¼, −¼, −¼), sample variance (9 + 3)/16/3 = ¼,
     * std ½, so A = (1.5, −0.5, −0.5, −0.5). The same group shifted in position, (0, 1, 0, 0), gives
     * (−0.5, 1.5, −0.5, −0.5).
     */
    private static final double[] ONE_IN_FOUR = {1.5, -0.5, -0.5, -0.5};

    /**
     * (0, 1e-200, 0, 0) with ε = 0: the squared deviations (~1e-400) underflowed to 0, the std was 0 and the
     * advantages ±Infinity / NaN. Scaled, it is (0, 1, 0, 0): A = (−0.5, 1.5, −0.5, −0.5).
     */
    @Test
    void aSpreadWhoseSquareUnderflowsGivesTheAdvantagesOfItsShape() {
        double[] a = Advantages.compute(new double[] {0, 1e-200, 0, 0}, G4_EPS0);
        assertArrayEquals(new double[] {-0.5, 1.5, -0.5, -0.5}, a, 1e-15);
        // subnormal rewards too: (2^-1074, 0, 0, 0) is (1, 0, 0, 0) times the smallest double
        assertArrayEquals(ONE_IN_FOUR, Advantages.compute(new double[] {Double.MIN_VALUE, 0, 0, 0}, G4_EPS0), 1e-15);
    }

    /**
     * (1.7e308, 1e308, 0, 0): the sum overflowed to Infinity and the advantages were NaN. It is 1e308 · (1.7, 1, 0,
     * 0): mean 0.675, deviations (1.025, 0.325, −0.675, −0.675), Σd² = 1.050625 + 0.105625 + 2 · 0.455625 = 2.0675,
     * std = √(2.0675/3) = 0.830161..., so A = (1.234699, 0.391490, −0.813094, −0.813094) — ε = 1e-4 is nothing
     * against a deviation of 8e307.
     */
    @Test
    void rewardsNearTheTopOfTheRangeGiveFiniteAdvantages() {
        double std = Math.sqrt(2.0675 / 3);
        double[] expected = {1.025 / std, 0.325 / std, -0.675 / std, -0.675 / std};
        assertArrayEquals(expected, Advantages.compute(new double[] {1.7e308, 1e308, 0, 0},
                GrpoConfig.builder().groupSize(4).build()), 1e-14);
        assertArrayEquals(expected, Advantages.compute(new double[] {1.7e308, 1e308, 0, 0}, G4_EPS0), 1e-14);
    }

    /**
     * (1e160, 0, 0, 0): Σd² = 0.75e320 overflowed, the std was Infinity and every advantage silently 0, while
     * (1, 0, 0, 0) gives (1.5, −0.5, −0.5, −0.5). Now both give the same.
     */
    @Test
    void aLargeRewardNoLongerGivesSilentZeros() {
        GrpoConfig defaults = GrpoConfig.builder().groupSize(4).build();
        assertArrayEquals(ONE_IN_FOUR, Advantages.compute(new double[] {1e160, 0, 0, 0}, defaults), 1e-15);
        assertArrayEquals(ONE_IN_FOUR, Advantages.compute(new double[] {1e160, 0, 0, 0}, G4_EPS0), 1e-15);
        assertArrayEquals(ONE_IN_FOUR, Advantages.compute(new double[] {1, 0, 0, 0}, G4_EPS0), 1e-15);
    }

    /** BATCH_STD on (1e200, 0 | 3e200, 1e200): batch mean 1.25e200, std √(2.75/3)e200; group means 0.5e200, 2e200. */
    @Test
    void batchScalingIsScaleFreeToo() {
        GrpoConfig c = GrpoConfig.builder().groupSize(2).advantageScaling(AdvantageScaling.BATCH_STD)
                .advantageEpsilon(0).build();
        // deviations from 1.25: −0.25, 1.25, 1.75, 0.25 → squares 0.0625 + 1.5625 + 3.0625 + 0.0625 = 4.75 / 3
        double s = Math.sqrt(4.75 / 3);
        double[] expected = {0.5 / s, -0.5 / s, 1 / s, -1 / s};
        assertArrayEquals(expected, Advantages.compute(new double[] {1e200, 0, 3e200, 1e200}, c), 1e-15);
        assertArrayEquals(expected, Advantages.compute(new double[] {1e-200, 0, 3e-200, 1e-200}, c), 1e-15);
        assertArrayEquals(expected, Advantages.compute(new double[] {1, 0, 3, 1}, c), 1e-15);
    }

    /**
     * Without std scaling the advantage is the centred reward itself; leave-one-out on (1.7e308, −1.7e308) gives
     * r_1 − r_2 = 3.4e308, beyond the double range: an error naming the rewards instead of ±Infinity.
     */
    @Test
    void aCentredRewardBeyondTheDoubleRangeIsAnErrorNamingTheRewards() {
        GrpoConfig c = GrpoConfig.builder().groupSize(2).advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT)
                .advantageScaling(AdvantageScaling.NONE).build();
        AdvantageRangeException e = assertThrows(AdvantageRangeException.class,
                () -> Advantages.compute(new double[] {0, 1, 1.7e308, -1.7e308}, c));
        assertEquals(1, e.group());
        assertArrayEquals(new double[] {1.7e308, -1.7e308}, e.rewards(), 0.0);
        assertTrue(e.getMessage().contains("[1.7E308, -1.7E308]") && e.getMessage().contains("group 1")
                && e.getMessage().contains("NONE"), e.getMessage());
        // the group mean halves it: (1.7e308, −1.7e308) − 0 is representable
        assertArrayEquals(new double[] {1.7e308, -1.7e308}, Advantages.compute(new double[] {1.7e308, -1.7e308},
                c.toBuilder().advantageBaseline(AdvantageBaseline.GROUP_MEAN).build()), 0.0);
    }

    /**
     * A FLOAT result: leave-one-out without scaling on FLOAT rewards (3e38, −3e38) gives ±6e38, finite in double
     * but beyond Float.MAX_VALUE = 3.4e38; it was written as ±Infinity.
     */
    @Test
    void anAdvantageBeyondTheFloatRangeIsAnErrorForFloatRewards() {
        GrpoConfig c = GrpoConfig.builder().groupSize(2).advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT)
                .advantageScaling(AdvantageScaling.NONE).build();
        INDArray rewards = Nd4j.createFromArray(3e38f, -3e38f);
        AdvantageRangeException e = assertThrows(AdvantageRangeException.class, () -> Advantages.compute(rewards, c));
        assertTrue(e.getMessage().contains("FLOAT"), e.getMessage());
        INDArray asDouble = Advantages.compute(rewards.castTo(DataType.DOUBLE), c);
        assertEquals(2 * (double) 3e38f, asDouble.getDouble(0), 0.0);
    }

    /**
     * FLOAT rewards with a spread of a few float ulps: 1 + (0, 3, 5, 9) · 2^-23, exact in FLOAT. In double the mean
     * is 1 + 4.25 · 2^-23, deviations (−4.25, −1.25, 0.75, 4.75) · 2^-23, Σd² = 18.0625 + 1.5625 + 0.5625 + 22.5625
     * = 42.75 (· 2^-46), std = √14.25 · 2^-23, so A = d / √14.25 (ε = 0). Computed in FLOAT, the mean alone rounds by
     * 0.25 ulp, a 6% error in the smallest deviation; the result is now right to FLOAT rounding.
     */
    @Test
    void floatRewardsWithATinySpreadAreComputedInDouble() {
        float u = 0x1p-23f;
        INDArray rewards = Nd4j.createFromArray(1f, 1 + 3 * u, 1 + 5 * u, 1 + 9 * u);
        double s = Math.sqrt(14.25);
        double[] expected = {-4.25 / s, -1.25 / s, 0.75 / s, 4.75 / s};
        INDArray a = Advantages.compute(rewards, G4_EPS0);
        assertEquals(DataType.FLOAT, a.dataType());
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], a.getDouble(i), 1e-7 * Math.abs(expected[i]), "A[" + i + "]");
        }
    }

    /** The deviation metric is scale-free as well: (1e160, 0, 0, 0) has std 1e160 · ½, not Infinity. */
    @Test
    void sampleStdDoesNotOverflowOrUnderflow() {
        assertEquals(0.5e160, Advantages.sampleStd(new double[] {1e160, 0, 0, 0}, 0, 4), 1e145);
        assertEquals(0.5e-200, Advantages.sampleStd(new double[] {0, 1e-200, 0, 0}, 0, 4), 1e-215);
    }
}
