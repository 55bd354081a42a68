package org.grpo4j.bench.objective;

import java.util.concurrent.TimeUnit;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.memory.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
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
 * The GRPO objective (loss, gradient {@code [N, T]}, advantages, metrics) by implementation
 * ({@link ObjectiveImplementation}: ND4J, fused, double reference) × {@link KernelSize} (4K to 4M elements) ×
 * {@link ObjectiveVariant}, on the inputs of {@link ObjectiveInputs#random} (FLOAT). The least traffic is 20 bytes
 * per element (four inputs read, the gradient written); bytes / time compared with
 * {@code MachineLimitsBenchmark.copy} gives the fraction of the memory bandwidth reached.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET, jvmArgsAppend = "-Xmx6g")
@State(Scope.Benchmark)
public class ObjectiveKernelBenchmark {
    /** The implementation. */
    @Param
    public ObjectiveImplementation implementation;

    /** The batch shape. */
    @Param
    public KernelSize size;

    /** The GRPO variant. */
    @Param
    public ObjectiveVariant variant;

    ObjectiveInput input;
    GrpoConfig config;
    GrpoObjective objective;

    /** Builds the input and the configuration once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        input = ObjectiveInputs.random(size.sequences(), size.tokens(), GrpoObjectiveBenchmark.SEED);
        config = variant.config(ObjectiveShape.MAX_TOKENS);
        objective = implementation.objective();
    }

    /**
     * One evaluation inside a reused ND4J workspace, as {@code GrpoTrainer} runs the objective (its outputs are
     * carved from the workspace instead of freshly allocated off-heap memory).
     *
     * @return the loss (the gradient, advantages and metrics are computed but live only in the workspace)
     */
    @Benchmark
    public double evaluate() {
        try (MemoryWorkspace ws = Workspaces.step(WORKSPACE)) {
            return objective.evaluate(input, config).loss();
        }
    }

    /** The workspace of {@link #evaluate}. */
    static final String WORKSPACE = "grpo4j-bench-objective";
}
