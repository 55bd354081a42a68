package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StepMetrics} holds a value for every metric it names ({@link StepMetrics#get} returns a {@code double}), so
 * null names and values are refused with the metric's name, and {@link JsonLinesMetricsWriter} never meets one.
 */
class StepMetricsTest {

    @Test
    void aNullValueIsRefusedByItsName() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("reward", 0.5);
        values.put("kl", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepMetrics(3, values));
        assertEquals("values['kl'] must not be null; use NaN for an undefined metric", e.getMessage());
    }

    @Test
    void aNullNameIsRefused() {
        Map<String, Double> values = new HashMap<>();
        values.put(null, 1.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepMetrics(3, values));
        assertEquals("values must not hold a null metric name, had one with value 1.5", e.getMessage());
    }

    @Test
    void aNullMapIsRefused() {
        assertEquals("values must not be null",
                assertThrows(IllegalArgumentException.class, () -> new StepMetrics(1, null)).getMessage());
    }

    /** The documented stand-in for an undefined metric is NaN, which the JSON writer turns into null. */
    @Test
    void nanIsTheUndefinedValueAndIsWrittenAsJsonNull() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("reward", 0.5);
        values.put("kl", Double.NaN);
        StepMetrics m = new StepMetrics(3, values);
        assertEquals(Double.NaN, m.get("kl"));
        assertEquals("{\"step\":3,\"reward\":0.5,\"kl\":null}", JsonLinesMetricsWriter.toJson(m));
    }

    @Test
    void theValuesAreACopyInTheGivenOrder() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("z", 1.0);
        values.put("a", 2.0);
        StepMetrics m = new StepMetrics(1, values);
        values.put("later", 3.0);
        assertEquals(List.of("z", "a"), List.copyOf(m.values().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> m.values().put("x", 0.0));
    }

    @Test
    void theWriterNamesANullStep() {
        assertEquals("metrics must not be null", assertThrows(IllegalArgumentException.class,
                () -> JsonLinesMetricsWriter.toJson(null)).getMessage());
    }
}
