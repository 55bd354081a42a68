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
}
