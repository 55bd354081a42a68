package org.grpo4j.bench.objective;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.GrpoConfig;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.objective.FusedGrpoObjective;
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
 * Group-normalised advantages of B·G binary rewards (G = 8, GRPO's defaults): {@link #fused} (the objectives'
 * {@code advantages}, one pass in double over a copy of the rewards) against {@link #nd4jChain}
 * ({@link Nd4jAdvantageChain}, about ten whole-tensor ops).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET)
@State(Scope.Benchmark)
public class AdvantagesBenchmark {
    /** B·G, the rewards in the batch. */
    @Param({"64", "512", "4096"})
    public int batch;

    INDArray rewards;
    GrpoConfig config;

    /** Draws 0/1 rewards once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        config = GrpoConfig.grpo();
        SplittableRandom rng = new SplittableRandom(9);
        float[] r = new float[batch];
        for (int i = 0; i < batch; i++) {
            r[i] = rng.nextBoolean() ? 1 : 0;
        }
        rewards = Nd4j.createFromArray(r).castTo(DataType.FLOAT);
    }

    /**
     * The fused advantages.
     *
     * @return {@code [B·G]}
     */
    @Benchmark
    public INDArray fused() {
        return FusedGrpoObjective.create().advantages(rewards, config);
    }

    /**
     * The ND4J op chain.
     *
     * @return {@code [B·G]}
     */
    @Benchmark
    public INDArray nd4jChain() {
        return Nd4jAdvantageChain.compute(rewards, config.groupSize(), config.advantageEpsilon());
    }
}
