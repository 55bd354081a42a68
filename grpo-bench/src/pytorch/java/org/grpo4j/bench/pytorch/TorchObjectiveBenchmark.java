package org.grpo4j.bench.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.TimeUnit;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.bench.objective.GrpoObjectiveBenchmark;
import org.grpo4j.bench.objective.KernelSize;
import org.grpo4j.bench.objective.ObjectiveInputs;
import org.grpo4j.bench.objective.ObjectiveKernelBenchmark;
import org.grpo4j.bench.objective.ObjectiveShape;
import org.grpo4j.bench.objective.ObjectiveVariant;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PyTorch peer of {@link ObjectiveKernelBenchmark}: the same inputs (same seed), the loss and its gradient with
 * respect to {@code logpNew} by autograd ({@link TorchObjective}), left in native memory as grpo4j's is.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET, jvmArgsAppend = {"-Xmx6g", Torch.OFFLINE,
        Torch.CACHE, Torch.ENGINE_CACHE, Torch.ONE_THREAD, Torch.ONE_INTEROP_THREAD})
@State(Scope.Benchmark)
public class TorchObjectiveBenchmark {
    /** N × T. */
    @Param
    public KernelSize size;

    /** The preset. */
    @Param
    public ObjectiveVariant variant;

    Engine engine;
    NDManager manager;
    NDArray rewards;
    NDArray logpNew;
    NDArray logpOld;
    NDArray logpRef;
    NDArray mask;
    GrpoConfig config;

    /** Copies the kernel benchmark's inputs once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        ObjectiveInput in = ObjectiveInputs.random(size.sequences(), size.tokens(), GrpoObjectiveBenchmark.SEED);
        config = variant.config(ObjectiveShape.MAX_TOKENS);
        engine = Torch.engine();
        manager = engine.newBaseManager();
        rewards = Torch.copy(manager, in.rewards());
        logpNew = Torch.copy(manager, in.logpNew());
        logpOld = Torch.copy(manager, in.logpOld());
        logpRef = Torch.copy(manager, in.logpRef());
        mask = Torch.copy(manager, in.mask());
    }

    /** Frees the native arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * One evaluation: loss and backward; the arrays of the call are freed when it returns.
     *
     * @return the loss
     */
    @Benchmark
    public double evaluate() {
        try (NDManager call = manager.newSubManager()) {
            NDArray[] inputs = {rewards, logpNew, logpOld, logpRef, mask};
            for (NDArray a : inputs) {
                a.tempAttach(call);
            }
            return TorchObjective.lossAndGradient(engine, rewards, logpNew, logpOld, logpRef, mask, config)[0]
                    .getFloat();
        }
    }
}
