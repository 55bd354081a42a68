package org.grpo4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Shape invariants of the warm-up cosine schedule for arbitrary lengths and floors.
 */
class LearningRateScheduleProperties {

    @Property(tries = 300)
    void warmupIsLinearAndCosineDecaysMonotonicallyToTheFloor(@ForAll @IntRange(min = 0, max = 50) int warmup,
                                                              @ForAll @IntRange(min = 1, max = 200) int decay,
                                                              @ForAll @DoubleRange(min = 0, max = 1) double minRatio,
                                                              @ForAll @LongRange(min = 0, max = 300) long step) {
        WarmupCosineSchedule s = new WarmupCosineSchedule(warmup, warmup + decay, minRatio);
        double f = s.multiplier(step);
        if (step < warmup) {
            assertEquals((double) step / warmup, f, "linear warm-up");
            assertTrue(s.multiplier(step + 1) > f, "warm-up rises");
        } else {
            assertTrue(f >= minRatio - 1e-15 && f <= 1, "in [minRatio, 1], was " + f);
            assertTrue(s.multiplier(step + 1) <= f, "non-increasing after warm-up");
        }
        assertEquals(1.0, s.multiplier(warmup), "peak at the end of warm-up");
        assertEquals(minRatio, s.multiplier(warmup + decay), 1e-15, "floor at totalSteps");
    }

    @Property(tries = 100)
    void cosineIsSymmetricAboutItsMidpoint(@ForAll @IntRange(min = 0, max = 20) int warmup,
                                           @ForAll @IntRange(min = 1, max = 50) int half,
                                           @ForAll @IntRange(min = 0, max = 50) int offset,
                                           @ForAll @DoubleRange(min = 0, max = 1) double minRatio) {
        Assume.that(offset <= half);
        WarmupCosineSchedule s = new WarmupCosineSchedule(warmup, warmup + 2 * half, minRatio);
        long mid = warmup + half;
        // (1 + cos(pi (1/2 - x))) / 2 + (1 + cos(pi (1/2 + x))) / 2 = 1, so the two factors average (1 + minRatio) / 2
        assertEquals(1 + minRatio, s.multiplier(mid - offset) + s.multiplier(mid + offset), 1e-12);
    }
}
