package org.grpo4j.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The benchmark's summary: median of odd and even counts, throughput, rejected input. */
class StepTimesTest {

    @Test
    void medianAndThroughput() {
        assertEquals(2.0, new StepTimes(new double[] {3, 1, 2}).median());
        assertEquals(2.5, new StepTimes(new double[] {4, 1, 2, 3}).median());
        assertEquals(128.0, new StepTimes(new double[] {0.5, 2, 0.25}).throughput(64));
        double[] in = {1, 2};
        StepTimes t = new StepTimes(in);
        in[0] = 100;
        assertEquals(1.5, t.median(), "copied");
    }

    @Test
    void badInputIsRejectedByName() {
        assertEquals("seconds must not be empty",
                assertThrows(IllegalArgumentException.class, () -> new StepTimes(new double[0])).getMessage());
        assertEquals("seconds[1] must be finite and ≥ 0, was NaN", assertThrows(IllegalArgumentException.class,
                () -> new StepTimes(new double[] {1, Double.NaN})).getMessage());
        assertEquals("completions must be ≥ 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> new StepTimes(new double[] {1}).throughput(0)).getMessage());
    }
}
