package org.grpo4j.bench.train;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.Prompt;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.bench.TokenCounter;
import org.grpo4j.optim.AdamW;
import org.grpo4j.tasks.Pretraining;
import org.grpo4j.train.GrpoTrainer;
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
 * Whole training steps at the demo's and the studies' size ({@link StepSize}), with their token throughput.
 * <ul>
 *   <li>{@link #grpoStep}: one {@link GrpoTrainer#step()} (sampling with the KV cache, verification, reference
 *       log-probabilities, forward, objective, backward, AdamW); its {@code tokens} counter is the completion
 *       tokens generated and trained on (the trainer's {@code num_tokens});</li>
 *   <li>{@link #pretrainStep}: one supervised step (teacher forcing, backward, AdamW); its {@code tokens} counter
 *       is the batch's expected prompt + target tokens (batch size × the data's mean sequence length).</li>
 * </ul>
 * JMH reports {@code tokens} as a rate per millisecond beside the time per step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET)
@State(Scope.Benchmark)
public class WholeStepBenchmark {
    /** Seed of the data and the weights. */
    public static final long SEED = 11L;

    /** The model and batch size. */
    @Param
    public StepSize size;

    StepFixture fixture;
    TransformerPolicy policy;
    AdamW pretrainOptimizer;
    SplittableRandom rng;
    GrpoTrainer trainer;
    double tokensPerPretrainStep;


    /** Builds the model, the data, the optimiser and the trainer once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = size.fixture(SEED);
        rng = new SplittableRandom(SEED);
        policy = TransformerPolicy.initialize(fixture.model(), rng);
        pretrainOptimizer = AdamW.create(fixture.pretrainOptimizer());
        trainer = new GrpoTrainer(fixture.trainer(), policy, fixture.verifier(), fixture.grpoPrompts());
        double total = 0;
        for (Prompt p : fixture.pretraining()) {
            total += p.tokens().length + p.target().length;
        }
        tokensPerPretrainStep = fixture.pretrainBatch() * total / fixture.pretraining().size();
    }

    /** Releases the verifier threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }

    /**
     * One GRPO step.
     *
     * @param tokens the token counter
     * @return the step's reward
     */
    @Benchmark
    public double grpoStep(TokenCounter tokens) {
        var m = trainer.step();
        tokens.tokens += (long) m.get("num_tokens");
        return m.get("reward");
    }

    /**
     * One supervised step.
     *
     * @param tokens the token counter
     * @return its loss
     */
    @Benchmark
    public double pretrainStep(TokenCounter tokens) {
        tokens.tokens += Math.round(tokensPerPretrainStep);
        return Pretraining.run(policy, fixture.pretraining(), 1, fixture.pretrainBatch(), pretrainOptimizer, rng)[0];
    }
}
