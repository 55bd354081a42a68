package org.grpo4j.bench.pytorch;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.bench.TokenCounter;
import org.grpo4j.bench.train.StepFixture;
import org.grpo4j.bench.train.StepSize;
import org.grpo4j.bench.train.WholeStepBenchmark;
import org.grpo4j.transformer.TransformerPolicy;
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
 * The PyTorch peer of {@link WholeStepBenchmark#grpoStep}: the same model (weights copied from a grpo4j policy
 * initialised with the same seed), prompts, verifier and trainer configuration, one {@link TorchGrpoStep} per call;
 * completion tokens counted as the trainer's {@code num_tokens}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET, jvmArgsAppend = {Torch.OFFLINE, Torch.CACHE,
        Torch.ENGINE_CACHE, Torch.ONE_THREAD, Torch.ONE_INTEROP_THREAD})
@State(Scope.Benchmark)
public class TorchGrpoStepBenchmark {
    /** The model and batch size. */
    @Param
    public StepSize size;

    TorchGrpoStep step;
    SplittableRandom rng;

    /** Builds the model and the data once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        StepFixture fixture = size.fixture(WholeStepBenchmark.SEED);
        rng = new SplittableRandom(WholeStepBenchmark.SEED);
        TransformerPolicy policy = TransformerPolicy.initialize(fixture.model(), rng);
        step = new TorchGrpoStep(policy, fixture.trainer(), fixture.verifier(), fixture.grpoPrompts());
    }

    /** Frees the native arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
    }

    /**
     * One GRPO step.
     *
     * @param tokens the token counter
     * @return the step's mean reward
     */
    @Benchmark
    public double grpoStep(TokenCounter tokens) {
        double reward = step.step(rng);
        tokens.tokens += step.lastTokens();
        return reward;
    }
}
