package org.grpo4j.optim;

import static org.grpo4j.optim.LearningRateScheduleTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptimizerConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        OptimizerConfig c = OptimizerConfig.defaults();
        assertEquals(new OptimizerConfig(AdamVariant.ADAMW, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1.0,
                LearningRateSchedule.constant()), c);
        assertTrue(c.clippingEnabled());
        OptimizerConfig adam = OptimizerConfig.adam();
        assertEquals(AdamVariant.ADAM, adam.variant());
        assertEquals(0.0, adam.weightDecay());
        assertEquals(c.toBuilder().variant(AdamVariant.ADAM).weightDecay(0).build(), adam);
    }

    @Test
    void builderRoundTripsEveryField() {
        OptimizerConfig c = OptimizerConfig.builder().variant(AdamVariant.ADAMW).learningRate(0.3).beta1(0.5)
                .beta2(0.75).epsilon(1e-4).weightDecay(0.2).maxGradNorm(Double.POSITIVE_INFINITY)
                .schedule(LearningRateSchedule.warmupCosine(2, 9, 0.25)).build();
        assertEquals(new OptimizerConfig(AdamVariant.ADAMW, 0.3, 0.5, 0.75, 1e-4, 0.2, Double.POSITIVE_INFINITY,
                new WarmupCosineSchedule(2, 9, 0.25)), c);
        assertEquals(c, c.toBuilder().build());
        assertFalse(c.clippingEnabled());
        assertEquals(0.0, c.learningRateAt(0));
        assertEquals(0.15, c.learningRateAt(1), 1e-15);
        assertEquals(0.3, c.learningRateAt(2));
        assertEquals(0.075, c.learningRateAt(9), 1e-15);
    }

    @Test
    void rejectsEachInvalidFieldNamingItsValue() {
        OptimizerConfig.Builder b = OptimizerConfig.builder();
        assertEquals("variant must not be null", message(() -> b.build().toBuilder().variant(null).build()));
        assertEquals("learningRate must be finite and > 0, was 0.0",
                message(() -> OptimizerConfig.builder().learningRate(0).build()));
        assertEquals("learningRate must be finite and > 0, was NaN",
                message(() -> OptimizerConfig.builder().learningRate(Double.NaN).build()));
        assertEquals("beta1 must be in [0, 1), was 1.0", message(() -> OptimizerConfig.builder().beta1(1).build()));
        assertEquals("beta1 must be in [0, 1), was -0.1",
                message(() -> OptimizerConfig.builder().beta1(-0.1).build()));
        assertEquals("beta2 must be in [0, 1), was NaN",
                message(() -> OptimizerConfig.builder().beta2(Double.NaN).build()));
        assertEquals("epsilon must be finite and > 0, was 0.0",
                message(() -> OptimizerConfig.builder().epsilon(0).build()));
        assertEquals("weightDecay must be finite and ≥ 0, was -0.01",
                message(() -> OptimizerConfig.builder().weightDecay(-0.01).build()));
        assertEquals("maxGradNorm must be > 0 (+Infinity turns clipping off), was 0.0",
                message(() -> OptimizerConfig.builder().maxGradNorm(0).build()));
        assertEquals("maxGradNorm must be > 0 (+Infinity turns clipping off), was NaN",
                message(() -> OptimizerConfig.builder().maxGradNorm(Double.NaN).build()));
        assertEquals("maxGradNorm must be > 0 (+Infinity turns clipping off), was -1.0",
                message(() -> OptimizerConfig.builder().maxGradNorm(-1).build()));
        assertEquals("schedule must not be null", message(() -> OptimizerConfig.builder().schedule(null).build()));
    }

    @Test
    void adamRejectsWeightDecay() {
        assertEquals("weightDecay must be 0 for variant ADAM (use ADAMW for decoupled weight decay), was 0.01",
                message(() -> OptimizerConfig.builder().variant(AdamVariant.ADAM).build()));
        assertEquals(0.0, OptimizerConfig.builder().variant(AdamVariant.ADAM).weightDecay(0).build().weightDecay());
    }
}
