package org.grpo4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.train.StepMetrics;
import org.junit.jupiter.api.Test;

/** The benchmark measures what it says: a full GRPO step of 8 × 8 completions and a supervised step. */
class TrainingStepBenchmarkTest {
    @Test
    void stepsRunOnTheDemoSizedModel() {
        TrainingStepBenchmark b = new TrainingStepBenchmark();
        b.setUp();
        try {
            assertEquals(17_536, b.policy.parameterCount());
            StepMetrics m = b.grpoStep();
            assertEquals(1, m.step());
            assertTrue(m.get("num_tokens") >= 64, "64 completions of at least one token: " + m.get("num_tokens"));
            double first = b.pretrainStep();
            assertTrue(Double.isFinite(first) && first > 0, "cross-entropy " + first);
        } finally {
            b.tearDown();
        }
    }
}
