package org.grpo4j.bench.pytorch;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.bench.TokenCounter;
import org.grpo4j.bench.train.StepFixture;
import org.grpo4j.bench.train.StepSize;
import org.grpo4j.bench.train.WholeStepBenchmark;
import org.grpo4j.optim.AdamW;
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
 * The PyTorch peer of {@link WholeStepBenchmark#pretrainStep}: the same model (weights copied from a grpo4j
 * policy), the same data and batch size, the same optimiser settings; tokens counted the same way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET, jvmArgsAppend = {Torch.OFFLINE, Torch.CACHE,
        Torch.ENGINE_CACHE, Torch.ONE_THREAD, Torch.ONE_INTEROP_THREAD})
@State(Scope.Benchmark)
public class TorchPretrainStepBenchmark {
    /** The model and batch size. */
    @Param
    public StepSize size;

    StepFixture fixture;
    TorchTransformer model;
    SplittableRandom rng;


    /** Builds the data and the model once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = size.fixture(WholeStepBenchmark.SEED);
        rng = new SplittableRandom(WholeStepBenchmark.SEED);
        TransformerPolicy policy = TransformerPolicy.initialize(fixture.model(), rng);
        AdamW.create(fixture.pretrainOptimizer());   // validates the settings the peer copies
        model = new TorchTransformer(policy, fixture.pretrainOptimizer());
    }

    /** Frees the native arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /**
     * One supervised step: batch, forward, loss, backward, clipping, AdamW.
     *
     * @param tokens the token counter
     * @return its loss
     */
    @Benchmark
    public double pretrainStep(TokenCounter tokens) {
        PaddedBatch b = PaddedBatch.draw(fixture.pretraining(), fixture.pretrainBatch(), rng);
        tokens.tokens += b.tokens();
        return model.step(b.inputs(), b.labels(), b.mask());
    }
}
