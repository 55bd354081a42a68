package org.grpo4j.bench.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.ObjectiveResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs each benchmark method once, as JMH would after its trial set-up. */
class GrpoObjectiveBenchmarkTest {

    private static GrpoObjectiveBenchmark.Data data(ObjectiveShape shape) {
        GrpoObjectiveBenchmark.Data d = new GrpoObjectiveBenchmark.Data();
        d.shape = shape;
        d.setUp();
        return d;
    }

    @Test
    void evaluateRunsForEveryVariantAndShape() {
        GrpoObjectiveBenchmark bench = new GrpoObjectiveBenchmark();
        for (ObjectiveShape shape : ObjectiveShape.values()) {
            GrpoObjectiveBenchmark.Data d = data(shape);
            for (ObjectiveVariant variant : ObjectiveVariant.values()) {
                GrpoObjectiveBenchmark.Variant v = new GrpoObjectiveBenchmark.Variant();
                v.variant = variant;
                v.setUp();
                ObjectiveResult r = bench.evaluate(d, v);
                assertTrue(Double.isFinite(r.loss()), shape + " " + variant);
                assertArrayEquals(new long[] {shape.sequences(), shape.tokens()}, r.gradient().shape());
                assertTrue(r.gradient().norm2Number().doubleValue() > 0, "some tokens carry gradient");
            }
        }
    }

    @Test
    void baselineIsTheDifferenceOfTheLogProbabilities() {
        GrpoObjectiveBenchmark.Data d = data(ObjectiveShape.N64_T64);
        GrpoObjectiveBenchmark bench = new GrpoObjectiveBenchmark();
        INDArray diff = bench.baseline(d);
        assertSame(d.out, diff, "the baseline writes its preallocated buffer");
        double[][] a = d.input.logpNew().toDoubleMatrix();
        double[][] b = d.input.logpOld().toDoubleMatrix();
        double[][] got = diff.toDoubleMatrix();
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                assertEquals((float) (a[i][j] - b[i][j]), got[i][j], 1e-6);
            }
        }
        INDArray fresh = bench.baselineAllocating(d);
        assertNotSame(d.out, fresh);
        assertEquals(diff, fresh);
    }
}
