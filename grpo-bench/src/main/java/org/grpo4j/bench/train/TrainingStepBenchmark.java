package org.grpo4j.bench.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.Prompt;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.optim.AdamW;
import org.grpo4j.tasks.ExactMatchVerifier;
import org.grpo4j.tasks.PretrainThenGrpoConfig;
import org.grpo4j.tasks.Pretraining;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.StepMetrics;
import org.grpo4j.transformer.TransformerPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two steps the paper's studies repeat, at the size of {@link PretrainThenGrpoConfig#defaults()} (a 17.5k
 * parameter, 2-layer transformer reversing strings of 2–5 symbols):
 * <ul>
 *   <li>{@link #grpoStep()}: one {@link GrpoTrainer#step()} — sample 8 prompts × 8 completions with the KV cache,
 *       score them, reference log-probabilities, forward, objective, backward, AdamW;</li>
 *   <li>{@link #pretrainStep()}: one supervised step of 32 sequences (teacher forcing, backward, AdamW).</li>
 * </ul>
 * A study of S seeds × (P pretraining + K GRPO steps) takes about S·(P·pretrainStep + K·grpoStep).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET)
@State(Scope.Benchmark)
public class TrainingStepBenchmark {
    /** Seed of the data and the weights. */
    static final long SEED = 7L;

    PretrainThenGrpoConfig config;
    TransformerPolicy policy;
    List<Prompt> data;
    AdamW pretrainOptimizer;
    SplittableRandom rng;
    GrpoTrainer trainer;

    /** Builds the model, the data, the optimiser and the trainer once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        config = PretrainThenGrpoConfig.defaults();
        rng = new SplittableRandom(SEED);
        data = config.tasks().sample(config.task(), config.pretrainPrompts(), rng);
        policy = TransformerPolicy.initialize(config.model(), rng);
        pretrainOptimizer = AdamW.create(config.pretrainOptimizer());
        trainer = new GrpoTrainer(config.grpo(), policy, new ExactMatchVerifier(), data);
    }

    /** Releases the verifier threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }

    /**
     * One GRPO step.
     *
     * @return its metrics
     */
    @Benchmark
    public StepMetrics grpoStep() {
        return trainer.step();
    }

    /**
     * One supervised step.
     *
     * @return its loss
     */
    @Benchmark
    public double pretrainStep() {
        return Pretraining.run(policy, data, 1, config.pretrainBatch(), pretrainOptimizer, rng)[0];
    }
}
