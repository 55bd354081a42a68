package org.grpo4j.bench.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.grpo4j.Parameter;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.bench.optim.AdamWBenchmark;
import org.grpo4j.bench.optim.ParameterSet;
import org.grpo4j.bench.optim.Parameters;
import org.grpo4j.optim.OptimizerConfig;
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
 * The PyTorch peer of {@link AdamWBenchmark}: the same parameters and gradients, refilled the same way, clipped to
 * the same global norm, updated by DJL's AdamW (its fused native {@code adamUpdate}) with
 * {@link OptimizerConfig#defaults()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET, jvmArgsAppend = {Torch.OFFLINE, Torch.CACHE,
        Torch.ENGINE_CACHE, Torch.ONE_THREAD, Torch.ONE_INTEROP_THREAD})
@State(Scope.Benchmark)
public class TorchAdamWBenchmark {
    /** The parameter shapes. */
    @Param
    public ParameterSet parameterSet;

    NDManager manager;
    final List<NDArray> weights = new ArrayList<>();
    final List<NDArray> gradients = new ArrayList<>();
    final List<NDArray> sources = new ArrayList<>();
    Optimizer adamW;
    double maxGradNorm;

    /** Copies the grpo4j benchmark's parameters and gradients once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        OptimizerConfig c = OptimizerConfig.defaults();
        manager = Torch.engine().newBaseManager();
        List<Parameter> params = Parameters.random(parameterSet.shapes(), AdamWBenchmark.SEED);
        for (Parameter p : params) {
            weights.add(Torch.copy(manager, p.value()));
            gradients.add(Torch.copy(manager, p.gradient()));
            sources.add(Torch.copy(manager, p.gradient()));
        }
        adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) c.learningRate()))
                .optBeta1((float) c.beta1()).optBeta2((float) c.beta2()).optEpsilon((float) c.epsilon())
                .optWeightDecays((float) c.weightDecay()).build();
        maxGradNorm = c.maxGradNorm();
    }

    /** Frees the native arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * Refill, clip by the global norm, update.
     *
     * @return the global gradient norm before clipping
     */
    @Benchmark
    public double step() {
        baseline();
        try (NDManager call = manager.newSubManager()) {
            double sq = 0;
            for (NDArray g : gradients) {
                g.tempAttach(call);
                sq += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(sq);
            if (norm > maxGradNorm) {
                float scale = (float) (maxGradNorm / (norm + 1e-6));
                for (NDArray g : gradients) {
                    g.muli(scale);
                }
            }
            for (int i = 0; i < weights.size(); i++) {
                adamW.update("p" + i, weights.get(i), gradients.get(i));
            }
            return norm;
        }
    }

    /**
     * The refill alone: every gradient overwritten from its source.
     *
     * @return the first gradient
     */
    @Benchmark
    public NDArray baseline() {
        for (int i = 0; i < gradients.size(); i++) {
            sources.get(i).copyTo(gradients.get(i));
        }
        return gradients.get(0);
    }
}
