package org.grpo4j.bench.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogitsTest {

    @Test
    void gaussianRowHasTheRequestedLengthAndSpread() {
        float[] x = Logits.gaussian(32000, 3.0, 1);
        assertEquals(32000, x.length);
        double sum = 0;
        double sq = 0;
        for (float v : x) {
            assertTrue(Float.isFinite(v));
            sum += v;
            sq += v * v;
        }
        double mean = sum / x.length;
        assertEquals(0, mean, 0.1);
        assertEquals(3.0, Math.sqrt(sq / x.length - mean * mean), 0.05);
    }

    @Test
    void equalSeedsGiveEqualRows() {
        assertArrayEquals(Logits.gaussian(100, 1, 7), Logits.gaussian(100, 1, 7));
        assertTrue(!Arrays.equals(Logits.gaussian(100, 1, 7), Logits.gaussian(100, 1, 8)));
    }

    @Test
    void softmaxNormaliserIsTheSumOfShiftedExponentials() {
        float[] x = {(float) Math.log(3), 0f, (float) Math.log(2)};
        // exp(x - max) = 1, 1/3, 2/3
        assertEquals(2.0, Logits.softmaxNormaliser(x), 1e-7);
        assertEquals(1.0, Logits.softmaxNormaliser(new float[] {-5f}));
        assertEquals(4.0, Logits.softmaxNormaliser(new float[] {7f, 7f, 7f, 7f}));
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("vocabularySize must be ≥ 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Logits.gaussian(0, 1, 1)).getMessage());
        assertEquals("std must be finite and > 0, was 0.0",
                assertThrows(IllegalArgumentException.class, () -> Logits.gaussian(3, 0, 1)).getMessage());
        assertEquals("logits must not be empty",
                assertThrows(IllegalArgumentException.class, () -> Logits.softmaxNormaliser(new float[0]))
                        .getMessage());
    }
}
