package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-side JSON parser accepts valid objects and rejects what JSON forbids, so checks built on it can fail. */
class StrictJsonTest {

    @Test
    void parsesNumbersNullAndEscapes() {
        Map<String, Double> m = StrictJson.parseObject(
                " {\"a\": 1, \"b\\\"c\":-0.5e-3 ,\"d\\\\e\\n\\u0001\":null, \"f\":1.0E10, \"g\":0}\n");
        assertEquals(List.of("a", "b\"c", "d\\e\n\u0001", "f", "g"), List.copyOf(m.keySet()));
        assertEquals(1.0, m.get("a"));
        assertEquals(-0.5e-3, m.get("b\"c"));
        assertNull(m.get("d\\e\n\u0001"));
        assertEquals(1e10, m.get("f"));
        assertEquals(0.0, m.get("g"));
        assertEquals(Map.of(), StrictJson.parseObject("{}"));
    }

    @Test
    void rejectsWhatJsonForbids() {
        for (String bad : List.of("{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":1,}", "{\"a\":1",
                "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1} x", "{\"a\":1}{}", "{a:1}",
                "{\"a\tb\":1}", "{\"a\nb\":1}", "{\"a\\x\":1}", "{\"a\\u12\":1}", "{\"a\":1,\"a\":2}",
                "{\"a\":true}", "{\"a\":\"1\"}", "")) {
            assertThrows(IllegalArgumentException.class, () -> StrictJson.parseObject(bad), bad);
        }
    }
}
