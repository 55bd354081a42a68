package org.grpo4j.tasks.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The demo's argument handling (its run itself is exercised by PretrainThenGrpoTest). */
class ReverseDemoTest {
    @Test
    void rejectsMalformedAndUnknownArguments() {
        assertEquals("argument must be key=value, was 'seed'", assertThrows(IllegalArgumentException.class,
                () -> ReverseDemo.main(new String[] {"seed"})).getMessage());
        assertEquals("seed must be an integer, was 'x'", assertThrows(IllegalArgumentException.class,
                () -> ReverseDemo.main(new String[] {"seed=x"})).getMessage());
        assertEquals("unknown argument 'speed'; known: seed, pretrainSteps, grpoSteps",
                assertThrows(IllegalArgumentException.class,
                        () -> ReverseDemo.main(new String[] {"speed=1"})).getMessage());
    }

    @Test
    void aStepCountOutsideIntIsRejectedByName() {
        // before: ArithmeticException "integer overflow", naming nothing
        assertEquals("grpoSteps must be an integer in [0, 2147483647], was 99999999999",
                assertThrows(IllegalArgumentException.class,
                        () -> ReverseDemo.main(new String[] {"grpoSteps=99999999999"})).getMessage());
        assertEquals("pretrainSteps must be an integer in [0, 2147483647], was -1",
                assertThrows(IllegalArgumentException.class,
                        () -> ReverseDemo.main(new String[] {"pretrainSteps=-1"})).getMessage());
    }
}
