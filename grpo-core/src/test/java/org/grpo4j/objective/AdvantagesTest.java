package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.junit.jupiter.api.Test;

/** {@link Advantages} on groups worked out by hand, and the inputs it rejects. */
class AdvantagesTest {

    private static GrpoConfig config(int g, AdvantageBaseline b, AdvantageScaling s, double eps) {
        return GrpoConfig.builder().groupSize(g).advantageBaseline(b).advantageScaling(s).advantageEpsilon(eps)
                .build();
    }

    /**
     * One success in four: rewards (1, 0, 0, 0), mean ¼, deviations (¾, −¼, −¼, −¼), sample variance
     * (9/16 + 3/16)/3 = ¼, std ½. GROUP_MEAN + GROUP_STD: A = (¾, −¼, −¼, −¼)/(½ + 1e-4).
     */
    @Test
    void groupMeanGroupStdOneSuccessInFour() {
        double s = 0.5 + 1e-4;
        double[] a = Advantages.compute(new double[] {1, 0, 0, 0},
                config(4, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.GROUP_STD, 1e-4));
        assertArrayEquals(new double[] {0.75 / s, -0.25 / s, -0.25 / s, -0.25 / s}, a, 1e-15);
    }

    /**
     * Leave-one-out on the same group: b = (0, ⅓, ⅓, ⅓), so r − b = (1, −⅓, −⅓, −⅓) = 4/3 · (r − r̄); divided by
     * s = ½ (ε = 0): A = (2, −⅔, −⅔, −⅔), which sums to 0.
     */
    @Test
    void leaveOneOutGroupStdOneSuccessInFour() {
        double[] a = Advantages.compute(new double[] {1, 0, 0, 0},
                config(4, AdvantageBaseline.LEAVE_ONE_OUT, AdvantageScaling.GROUP_STD, 0));
        assertArrayEquals(new double[] {2, -2.0 / 3, -2.0 / 3, -2.0 / 3}, a, 1e-15);
    }

    /**
     * BATCH_STD divides both groups by the deviation of all six rewards: (3, 1, 2 | 0, 0, 6), mean 2, squared
     * deviations 1, 1, 0, 4, 4, 16 → variance 26/5, std √5.2. Group means 2 and 2: A = (r − 2)/√5.2.
     */
    @Test
    void batchStdUsesTheWholeBatchDeviation() {
        double s = Math.sqrt(5.2);
        double[] a = Advantages.compute(new double[] {3, 1, 2, 0, 0, 6},
                config(3, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.BATCH_STD, 0));
        assertArrayEquals(new double[] {1 / s, -1 / s, 0, -2 / s, -2 / s, 4 / s}, a, 1e-15);
    }

    /** NONE: Dr. GRPO's centred rewards, (5, 1) → mean 3 → (2, −2); LOO (5, 1) → (4, −4). */
    @Test
    void noScalingLeavesCentredRewards() {
        assertArrayEquals(new double[] {2, -2}, Advantages.compute(new double[] {5, 1},
                config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.NONE, 1e-4)), 0.0);
        assertArrayEquals(new double[] {4, -4}, Advantages.compute(new double[] {5, 1},
                config(2, AdvantageBaseline.LEAVE_ONE_OUT, AdvantageScaling.NONE, 1e-4)), 0.0);
    }

    /**
     * An all-equal group gets exactly 0 under every option, even for rewards (0.1, 0.1, 0.1) whose computed mean
     * 0.30000000000000004/3 is not exactly 0.1, and even with ε = 0 (no 0/0).
     */
    @Test
    void allEqualGroupGetsExactlyZero() {
        for (AdvantageBaseline b : List.of(AdvantageBaseline.GROUP_MEAN, AdvantageBaseline.LEAVE_ONE_OUT)) {
            for (AdvantageScaling s : AdvantageScaling.values()) {
                double[] a = Advantages.compute(new double[] {0.1, 0.1, 0.1, 1, 0, 0.5},
                        config(3, b, s, 0));
                assertEquals(0.0, a[0], 0.0, b + "/" + s);
                assertEquals(0.0, a[1], 0.0, b + "/" + s);
                assertEquals(0.0, a[2], 0.0, b + "/" + s);
                assertTrue(a[3] > 0 && a[4] < 0, b + "/" + s);
            }
        }
        double[] allEqual = Advantages.compute(new double[] {7, 7, 7, 7},
                config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.BATCH_STD, 0));
        assertArrayEquals(new double[] {0, 0, 0, 0}, allEqual, 0.0);
    }

    @Test
    void sampleStdOfASlice() {
        // x[1..4) = (2, 4, 6): mean 4, squared deviations 4, 0, 4 → variance 4, std 2
        assertEquals(2.0, Advantages.sampleStd(new double[] {100, 2, 4, 6, -100}, 1, 3), 1e-15);
        assertEquals(0.0, Advantages.sampleStd(new double[] {3}, 0, 1), 0.0);
    }

    @Test
    void fractionOfZeroStdGroupsCountsAllEqualGroups() {
        assertEquals(0.5, Advantages.fractionOfZeroStdGroups(new double[] {1, 1, 0, 1}, 2), 0.0);
        assertEquals(1.0, Advantages.fractionOfZeroStdGroups(new double[] {0, 0, 0}, 3), 0.0);
        assertEquals(0.0, Advantages.fractionOfZeroStdGroups(new double[] {0, 1, 1, 0}, 2), 0.0);
    }

    @Test
    void batchThatIsNotAWholeNumberOfGroupsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.compute(new double[] {1, 2, 3}, GrpoConfig.builder().groupSize(2).build()));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void emptyBatchIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Advantages.compute(new double[0], GrpoConfig.builder().groupSize(2).build()));
    }

    @Test
    void nanRewardIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.compute(new double[] {1, Double.NaN}, GrpoConfig.builder().groupSize(2).build()));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void infiniteRewardIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.fractionOfZeroStdGroups(new double[] {Double.POSITIVE_INFINITY, 1}, 2));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
    }
}
