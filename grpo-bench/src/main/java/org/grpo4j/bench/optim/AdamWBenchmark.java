package org.grpo4j.bench.optim;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.grpo4j.Parameter;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.optim.AdamW;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.optim.StepResult;
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
 * One {@link AdamW#step} with the default configuration (AdamW, clipping at norm 1) per {@link ParameterSet}.
 * A step zeroes the gradients, so both benchmarks first copy the fixed gradients back; {@link #baseline} is that
 * copy alone, so {@code step - baseline} is the optimiser's own cost.
 *
 * <p>Bytes: a fused AdamW must read g, theta, m, v and write theta, m, v: 28 bytes per FLOAT parameter;
 * the copy reads and writes 8.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET)
@State(Scope.Benchmark)
public class AdamWBenchmark {
    /** The seed of the parameters and gradients (shared with the PyTorch peer). */
    public static final long SEED = 20240603L;

    /** Which parameter set. */
    @Param
    public ParameterSet parameterSet;

    List<Parameter> parameters;
    List<INDArray> gradients;
    AdamW adamW;

    /** Builds the parameters, their gradients and the optimiser once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        parameters = Parameters.random(parameterSet.shapes(), SEED);
        gradients = Parameters.gradientCopies(parameters);
        adamW = AdamW.create(OptimizerConfig.defaults());
    }

    /**
     * Restores the gradients and takes one optimiser step.
     *
     * @return the step's gradient norm, learning rate and clip flag
     */
    @Benchmark
    public StepResult step() {
        Parameters.refill(parameters, gradients);
        return adamW.step(parameters);
    }

    /**
     * Restores the gradients only.
     *
     * @return the last gradient
     */
    @Benchmark
    public INDArray baseline() {
        return Parameters.refill(parameters, gradients);
    }
}
