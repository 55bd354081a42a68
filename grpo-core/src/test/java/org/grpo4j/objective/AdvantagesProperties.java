package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.testing.ObjectiveArbitraries;
import org.grpo4j.testing.ObjectiveCase;
import org.grpo4j.testing.ReferenceGrpoObjective;

/** {@link Advantages} against the independent {@link ReferenceGrpoObjective}, for every baseline and scaling. */
class AdvantagesProperties {

    @Provide
    Arbitrary<ObjectiveCase> cases() {
        return ObjectiveArbitraries.cases();
    }

    /**
     * Same advantages as the reference to 1e-12 relative to the batch's largest advantage; the same exact zeros.
     *
     * @param c rewards and configuration
     */
    @Property(tries = 300)
    void computeMatchesTheReference(@ForAll("cases") ObjectiveCase c) {
        double[] expected = ReferenceGrpoObjective.advantages(c.rewards(), c.config());
        double[] actual = Advantages.compute(c.rewards().clone(), c.config());
        double scale = 0;
        for (double a : expected) {
            scale = Math.max(scale, Math.abs(a));
        }
        assertArrayEquals(expected, actual, 1e-12 * scale, () -> c.config() + " " + java.util.Arrays.toString(
                c.rewards()));
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) {
                assertEquals(0.0, actual[i], 0.0, "A[" + i + "] must be exactly 0");
            }
        }
        Statistics.label("scaling").collect(c.config().advantageScaling());
        Statistics.label("baseline").collect(c.config().advantageBaseline());
    }

    /** @param c rewards and group size */
    @Property(tries = 200)
    void fractionOfZeroStdGroupsMatchesTheReference(@ForAll("cases") ObjectiveCase c) {
        int g = c.config().groupSize();
        assertEquals(ReferenceGrpoObjective.fractionOfZeroStdGroups(c.rewards(), g),
                Advantages.fractionOfZeroStdGroups(c.rewards(), g), 0.0);
    }

    /**
     * @param c    rewards
     * @param from start of the slice (clamped)
     * @param len  length of the slice (clamped)
     */
    @Property(tries = 200)
    void sampleStdMatchesTheReference(@ForAll("cases") ObjectiveCase c, @ForAll @IntRange(max = 30) int from,
                                      @ForAll @IntRange(max = 30) int len) {
        int n = c.rewards().length;
        int f = Math.min(from, n - 1);
        int l = Math.min(len, n - f);
        double expected = ReferenceGrpoObjective.sampleStd(c.rewards(), f, l);
        assertEquals(expected, Advantages.sampleStd(c.rewards(), f, l), 1e-13 * (1 + expected));
    }

    /**
     * Advantages never write the rewards they are given.
     *
     * @param c rewards and configuration
     */
    @Property(tries = 100)
    void computeDoesNotWriteTheRewards(@ForAll("cases") ObjectiveCase c) {
        double[] rewards = c.rewards().clone();
        Advantages.compute(rewards, c.config());
        assertArrayEquals(c.rewards(), rewards, 0.0);
    }
}
