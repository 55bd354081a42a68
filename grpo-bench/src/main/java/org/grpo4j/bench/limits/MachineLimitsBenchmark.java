package org.grpo4j.bench.limits;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.bench.ForkedJvm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's limits, to read every kernel's score as a fraction of them (McCalpin's STREAM kernels, in Java):
 * <ul>
 *   <li>{@link #copy}: {@code c[i] = a[i]}, 8 bytes per element (read 4, write 4);</li>
 *   <li>{@link #triad}: {@code a[i] = b[i] + s·c[i]}, 12 bytes per element;</li>
 *   <li>{@link #sgemm}: ND4J's FLOAT {@code gemm} into a preallocated output at the model's shapes; GFLOP/s is
 *       {@link GemmShape#flops()} divided by the time.</li>
 * </ul>
 * Bandwidth is bytes per element × {@link StreamSize#floats()} divided by the time (STREAM counts no
 * write-allocate traffic either).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET, jvmArgsAppend = "-Xmx6g")
public class MachineLimitsBenchmark {

    /** The arrays of copy and triad. */
    @State(Scope.Benchmark)
    public static class Streams {
        /** Floats per array. */
        @Param
        public StreamSize size;

        float[] a;
        float[] b;
        float[] c;

        /** Fills the arrays once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            int n = size.floats();
            a = new float[n];
            b = new float[n];
            c = new float[n];
            SplittableRandom rng = new SplittableRandom(3);
            for (int i = 0; i < n; i++) {
                a[i] = (float) rng.nextDouble();
                b[i] = (float) rng.nextDouble();
                c[i] = (float) rng.nextDouble();
            }
        }
    }

    /** The matrices of sgemm. */
    @State(Scope.Benchmark)
    public static class Matrices {
        /** The shape. */
        @Param
        public GemmShape shape;

        INDArray a;
        INDArray b;
        INDArray c;

        /** Creates the operands once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            Nd4j.getRandom().setSeed(5);
            a = Nd4j.randn(DataType.FLOAT, shape.m(), shape.k());
            b = Nd4j.randn(DataType.FLOAT, shape.k(), shape.n());
            c = Nd4j.create(DataType.FLOAT, shape.m(), shape.n());
        }
    }

    /**
     * STREAM copy.
     *
     * @param s the arrays
     * @return the destination
     */
    @Benchmark
    public float[] copy(Streams s) {
        System.arraycopy(s.a, 0, s.c, 0, s.a.length);
        return s.c;
    }

    /**
     * STREAM triad.
     *
     * @param s the arrays
     * @return the destination
     */
    @Benchmark
    public float[] triad(Streams s) {
        float[] a = s.a;
        float[] b = s.b;
        float[] c = s.c;
        float scalar = 3f;
        for (int i = 0; i < a.length; i++) {
            a[i] = b[i] + scalar * c[i];
        }
        return a;
    }

    /**
     * One FLOAT matrix product into a preallocated output.
     *
     * @param m the operands
     * @return C
     */
    @Benchmark
    public INDArray sgemm(Matrices m) {
        return Nd4j.gemm(m.a, m.b, m.c, false, false, 1.0, 0.0);
    }
}
