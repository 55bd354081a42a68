package org.grpo4j.bench.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Each kernel computes what its name says, checked against a double-precision loop. */
class MachineLimitsBenchmarkTest {
    private final MachineLimitsBenchmark bench = new MachineLimitsBenchmark();

    private static MachineLimitsBenchmark.Streams streams(StreamSize size) {
        MachineLimitsBenchmark.Streams s = new MachineLimitsBenchmark.Streams();
        s.size = size;
        s.setUp();
        return s;
    }

    @Test
    void theStreamSizesStraddleTheCaches() {
        assertEquals(256 * 1024, 4 * StreamSize.L2_256KIB.floats());
        assertEquals(64 * 1024 * 1024, 4 * StreamSize.L3_64MIB.floats());
        assertEquals(1L << 30, 4L * StreamSize.DRAM_1GIB.floats());
        MachineLimitsBenchmark.Streams s = streams(StreamSize.L3_64MIB);
        assertEquals(StreamSize.L3_64MIB.floats(), s.a.length);
    }

    @Test
    void copyCopiesAndTriadIsBPlusThreeC() {
        MachineLimitsBenchmark.Streams s = streams(StreamSize.L2_256KIB);
        float[] a = s.a.clone();
        assertSame(s.c, bench.copy(s));
        assertArrayEquals(a, s.c);
        s.setUp();
        float[] b = s.b.clone();
        float[] c = s.c.clone();
        float[] out = bench.triad(s);
        assertSame(s.a, out);
        for (int i = 0; i < out.length; i++) {
            assertEquals(b[i] + 3.0 * c[i], out[i], 1e-6, "element " + i);
        }
    }

    @Test
    void sgemmIsTheMatrixProductAtEveryShape() {
        for (GemmShape shape : GemmShape.values()) {
            MachineLimitsBenchmark.Matrices m = new MachineLimitsBenchmark.Matrices();
            m.shape = shape;
            m.setUp();
            INDArray c = bench.sgemm(m);
            assertSame(m.c, c, "writes its preallocated output");
            assertEquals(DataType.FLOAT, c.dataType());
            assertArrayEquals(new long[] {shape.m(), shape.n()}, c.shape());
            assertEquals(2L * shape.m() * shape.k() * shape.n(), shape.flops());
            // a few entries against a double-precision dot product
            float[][] a = m.a.toFloatMatrix();
            float[][] b = m.b.toFloatMatrix();
            for (int[] ij : new int[][] {{0, 0}, {shape.m() - 1, shape.n() - 1}, {shape.m() / 2, shape.n() / 3}}) {
                double want = 0;
                for (int k = 0; k < shape.k(); k++) {
                    want += (double) a[ij[0]][k] * b[k][ij[1]];
                }
                assertEquals(want, c.getDouble(ij[0], ij[1]), 1e-4 * Math.sqrt(shape.k()), shape + " " + ij[0]);
            }
        }
    }
}
