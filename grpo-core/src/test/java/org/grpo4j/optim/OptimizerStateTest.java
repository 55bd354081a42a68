package org.grpo4j.optim;

import static org.grpo4j.optim.LearningRateScheduleTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OptimizerStateTest {

    private static Map<String, INDArray> moments(DataType dt, long... shape) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("z", Nd4j.zeros(dt, shape));
        m.put("a", Nd4j.zeros(dt, 2));
        return m;
    }

    @Test
    void keepsOrderAndCannotBeModifiedThroughItsMaps() {
        Map<String, INDArray> first = moments(DataType.FLOAT, 3);
        OptimizerState s = new OptimizerState(7, first, moments(DataType.FLOAT, 3));
        first.remove("z");
        assertEquals(List.of("z", "a"), List.copyOf(s.firstMoments().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> s.secondMoments().remove("a"));
        assertEquals(0, OptimizerState.initial().step());
    }

    @Test
    void rejectsInconsistentStates() {
        assertEquals("step must be ≥ 0, was -1",
                message(() -> new OptimizerState(-1, Map.of(), Map.of())));
        assertEquals("firstMoments must not be null", message(() -> new OptimizerState(0, null, Map.of())));
        assertEquals("firstMoments and secondMoments must have the same parameter names, were [z, a] and [z]",
                message(() -> new OptimizerState(1, moments(DataType.FLOAT, 3),
                        Map.of("z", Nd4j.zeros(DataType.FLOAT, 3)))));
        assertEquals("firstMoments must not be empty when step > 0, step was 2",
                message(() -> new OptimizerState(2, Map.of(), Map.of())));
        assertEquals("secondMoments[z] FLOAT[4] must match firstMoments[z] FLOAT[3]",
                message(() -> new OptimizerState(1, moments(DataType.FLOAT, 3), moments(DataType.FLOAT, 4))));
        assertEquals("secondMoments[z] DOUBLE[3] must match firstMoments[z] FLOAT[3]",
                message(() -> new OptimizerState(1, moments(DataType.FLOAT, 3), moments(DataType.DOUBLE, 3))));
        assertEquals("firstMoments[z] must be floating point, was INT",
                message(() -> new OptimizerState(1, moments(DataType.INT32, 3), moments(DataType.INT32, 3))));
        Map<String, INDArray> withNull = new HashMap<>();
        withNull.put("w", null);
        assertEquals("firstMoments[w] must not be null", message(() -> new OptimizerState(1, withNull, withNull)));
    }
}
