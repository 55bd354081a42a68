package org.grpo4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Schedule factors at known steps, worked out by hand from the HF transformers formulas
 * ({@code get_constant_schedule_with_warmup}, {@code get_cosine_with_min_lr_schedule_with_warmup}).
 */
class LearningRateScheduleTest {

    @Test
    void constantIsOneEverywhere() {
        LearningRateSchedule s = LearningRateSchedule.constant();
        assertEquals(1.0, s.multiplier(0));
        assertEquals(1.0, s.multiplier(1_000_000_000_000L));
    }

    @Test
    void warmupConstantRisesLinearlyFromZero() {
        LearningRateSchedule s = LearningRateSchedule.warmupConstant(4);
        assertEquals(0.0, s.multiplier(0));
        assertEquals(0.25, s.multiplier(1));
        assertEquals(0.75, s.multiplier(3));
        assertEquals(1.0, s.multiplier(4));
        assertEquals(1.0, s.multiplier(100));
        assertEquals(1.0, LearningRateSchedule.warmupConstant(0).multiplier(0), "no warm-up");
    }

    @Test
    void warmupCosineMatchesHuggingFaceAtKnownSteps() {
        // warm-up 10, decay over the 100 steps 10..110, floor 0.1
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(10, 110, 0.1);
        assertEquals(0.0, s.multiplier(0));
        assertEquals(0.5, s.multiplier(5));
        assertEquals(1.0, s.multiplier(10));
        // progress 0.25: 0.1 + 0.9 * (1 + cos(pi/4)) / 2 = 0.1 + 0.9 * 0.8535533905932737
        assertEquals(0.8681980515339464, s.multiplier(35), 1e-15);
        assertEquals(0.55, s.multiplier(60), 1e-15);                          // progress 0.5: half way to 0.1
        // progress 0.75: 0.1 + 0.9 * 0.14644660940672627
        assertEquals(0.23180194846605364, s.multiplier(85), 1e-15);
        assertEquals(0.1, s.multiplier(110), 1e-15);
        assertEquals(0.1, s.multiplier(111), "held at the floor after totalSteps (HF's curve rises again)");
        assertEquals(0.1, s.multiplier(1_000_000));
    }

    @Test
    void warmupCosineWithoutFloorIsGetCosineScheduleWithWarmup() {
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(0, 4, 0.0);
        assertEquals(1.0, s.multiplier(0));
        assertEquals(0.8535533905932737, s.multiplier(1), 1e-15);           // (1 + cos(pi/4)) / 2
        assertEquals(0.5, s.multiplier(2), 1e-15);
        assertEquals(0.14644660940672627, s.multiplier(3), 1e-15);
        assertEquals(0.0, s.multiplier(4), 1e-15);
    }

    @Test
    void rejectsInvalidArgumentsWithTheirNameAndValue() {
        assertEquals("warmupSteps must be ≥ 0, was -1", message(() -> LearningRateSchedule.warmupConstant(-1)));
        assertEquals("warmupSteps must be ≥ 0, was -2", message(() -> LearningRateSchedule.warmupCosine(-2, 5, 0)));
        assertEquals("totalSteps must be > warmupSteps, was totalSteps = 10, warmupSteps = 10",
                message(() -> LearningRateSchedule.warmupCosine(10, 10, 0)));
        assertEquals("minRatio must be in [0.0, 1.0], was 1.5",
                message(() -> LearningRateSchedule.warmupCosine(0, 10, 1.5)));
        assertEquals("minRatio must be in [0.0, 1.0], was NaN",
                message(() -> LearningRateSchedule.warmupCosine(0, 10, Double.NaN)));
        assertEquals("step must be ≥ 0, was -1", message(() -> LearningRateSchedule.constant().multiplier(-1)));
        assertEquals("step must be ≥ 0, was -3",
                message(() -> LearningRateSchedule.warmupConstant(2).multiplier(-3)));
        assertEquals("step must be ≥ 0, was -4",
                message(() -> LearningRateSchedule.warmupCosine(1, 3, 0).multiplier(-4)));
    }

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
