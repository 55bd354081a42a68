package org.grpo4j.bench.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.optim.StepResult;
import org.junit.jupiter.api.Test;

/** Runs each benchmark method, as JMH would after its trial set-up. */
class AdamWBenchmarkTest {

    @Test
    void everyStepSeesTheSameGradients() {
        AdamWBenchmark bench = new AdamWBenchmark();
        bench.parameterSet = ParameterSet.K100;
        bench.setUp();
        StepResult first = bench.step();
        StepResult second = bench.step();
        assertEquals(1, first.stepCount());
        assertEquals(2, second.stepCount());
        assertTrue(first.gradNorm() > 0);
        assertEquals(first.gradNorm(), second.gradNorm(), "the gradients were restored before the second step");
        assertEquals(bench.gradients.get(3), bench.baseline());
    }
}
