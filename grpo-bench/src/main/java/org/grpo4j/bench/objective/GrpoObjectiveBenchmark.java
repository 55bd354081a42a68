package org.grpo4j.bench.objective;

import java.util.concurrent.TimeUnit;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.objective.Nd4jGrpoObjective;
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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Nd4jGrpoObjective#evaluate} (loss, analytic gradient, metrics) per {@link ObjectiveShape} and
 * {@link ObjectiveVariant}, and a {@link #baseline} of one fused ND4J op over the same {@code [N, T]} arrays
 * (plus {@link #baselineAllocating}, the same op into a new array).
 *
 * <p>Bytes: {@code evaluate} must at least read logpNew, logpOld, logpRef and mask and write the gradient, 20 bytes
 * per element in FLOAT; the baseline {@code logpNew - logpOld} reads 8 and writes 4. Dividing by the measured time
 * gives the effective bandwidth to compare with the machine's (see grpo-bench/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET)
public class GrpoObjectiveBenchmark {
    /** The seed of the inputs (shared with the kernel benchmark and the PyTorch peer). */
    public static final long SEED = 20240601L;

    /**
     * The fixed-seed input of one shape, shared by {@link #evaluate} and {@link #baseline}.
     */
    @State(Scope.Benchmark)
    public static class Data {
        /** The batch shape. */
        @Param
        public ObjectiveShape shape;

        /** rewards {@code [N]}, logpNew/logpOld/logpRef/mask {@code [N, T]}, FLOAT. */
        ObjectiveInput input;

        /** {@code [N, T]} FLOAT output buffer of {@link #baseline}. */
        INDArray out;

        /** Builds the input once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            input = ObjectiveInputs.random(shape.sequences(), shape.tokens(), SEED);
            out = input.logpNew().like();
        }
    }

    /**
     * The variant's configuration.
     */
    @State(Scope.Benchmark)
    public static class Variant {
        /** The GRPO variant. */
        @Param
        public ObjectiveVariant variant;

        /** Its preset, accepting up to {@link ObjectiveShape#MAX_TOKENS} tokens. */
        GrpoConfig config;

        /** The (stateless) objective. */
        final Nd4jGrpoObjective objective = Nd4jGrpoObjective.create();

        /** Builds the configuration once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            config = variant.config(ObjectiveShape.MAX_TOKENS);
        }
    }

    /**
     * One evaluation of the objective.
     *
     * @param data    the input
     * @param variant the configuration
     * @return the loss, gradient {@code [N, T]}, advantages and metrics
     */
    @Benchmark
    public ObjectiveResult evaluate(Data data, Variant variant) {
        return variant.objective.evaluate(data.input, variant.config);
    }

    /**
     * One fused element-wise ND4J op over the same arrays, {@code logpNew - logpOld} into a preallocated array:
     * the floor of any whole-tensor op (call overhead and memory traffic, 12 bytes per element).
     *
     * @param data the input
     * @return {@code [N, T]}, the preallocated buffer
     */
    @Benchmark
    public INDArray baseline(Data data) {
        return data.input.logpNew().sub(data.input.logpOld(), data.out);
    }

    /**
     * The same op into a new array, as the objective allocates its temporaries: the difference to
     * {@link #baseline} is the cost of allocating (and later freeing) one {@code [N, T]} off-heap array.
     *
     * @param data the input
     * @return {@code [N, T]}, new
     */
    @Benchmark
    public INDArray baselineAllocating(Data data) {
        return data.input.logpNew().sub(data.input.logpOld());
    }
}
