package org.grpo4j.bench.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grpo4j.Parameter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ParametersTest {

    @Test
    void parameterSetsHaveTheAdvertisedSizes() {
        assertEquals(98_688, ParameterSet.K100.floats());
        assertEquals(984_064, ParameterSet.M1.floats());
    }

    @Test
    void randomBuildsNamedFloatParametersOfEachShape() {
        List<long[]> shapes = List.of(new long[] {30, 20}, new long[] {20});
        List<Parameter> ps = Parameters.random(shapes, 1);
        assertEquals(2, ps.size());
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            assertEquals("p" + i, p.name());
            assertArrayEquals(shapes.get(i), p.value().shape());
            assertEquals(DataType.FLOAT, p.value().dataType());
            assertEquals(DataType.FLOAT, p.gradient().dataType());
        }
        double valueStd = std(ps.get(0).value());
        double gradStd = std(ps.get(0).gradient());
        assertEquals(0.02, valueStd, 0.002);
        assertEquals(0.001, gradStd, 0.0001);
        assertEquals(ps.get(0).value(), Parameters.random(shapes, 1).get(0).value(), "same seed, same values");
        assertNotEquals(ps.get(0).value(), Parameters.random(shapes, 2).get(0).value());
    }

    @Test
    void refillRestoresZeroedGradients() {
        List<Parameter> ps = Parameters.random(ParameterSet.K100.shapes(), 3);
        List<INDArray> copies = Parameters.gradientCopies(ps);
        for (int i = 0; i < ps.size(); i++) {
            assertNotSame(ps.get(i).gradient(), copies.get(i));
            ps.get(i).gradient().assign(0);
        }
        INDArray last = Parameters.refill(ps, copies);
        assertSame(ps.get(ps.size() - 1).gradient(), last);
        for (int i = 0; i < ps.size(); i++) {
            assertEquals(copies.get(i), ps.get(i).gradient());
            assertTrue(copies.get(i).norm2Number().doubleValue() > 0);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("shapes must not be empty", assertThrows(IllegalArgumentException.class,
                () -> Parameters.random(List.of(), 1)).getMessage());
        List<Parameter> ps = Parameters.random(List.of(new long[] {2}), 1);
        assertEquals("sources must hold one array per parameter, had 0 for 1 parameters",
                assertThrows(IllegalArgumentException.class, () -> Parameters.refill(ps, List.of())).getMessage());
    }

    private static double std(INDArray a) {
        double[] x = a.reshape(a.length()).toDoubleVector();
        double sum = 0;
        double sq = 0;
        for (double v : x) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / x.length;
        return Math.sqrt(sq / x.length - mean * mean);
    }
}
