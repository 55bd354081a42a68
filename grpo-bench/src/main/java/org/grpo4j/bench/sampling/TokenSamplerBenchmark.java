package org.grpo4j.bench.sampling;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.SamplingConfig;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.sampling.TokenSampler;
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
 * One sampled token: {@link TokenSampler#distribution} then {@link TokenSampler#draw}, per vocabulary size and
 * {@link TopP} setting, and a {@link #baseline} computing only the softmax normaliser of the same row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET)
public class TokenSamplerBenchmark {
    /** Seed of the logits and of the draws. */
    static final long SEED = 20240602L;

    /**
     * One fixed-seed logit row and the generator of the draws.
     */
    @State(Scope.Thread)
    public static class Row {
        /** V, the vocabulary size: a toy task, a small model, a Llama-2-sized vocabulary. */
        @Param({"32", "1024", "32000"})
        public int vocabularySize;

        /** N(0, 9) logits, V of them. */
        float[] logits;

        /** The seeded source of the draws. */
        SplittableRandom rng;

        /** Builds the row once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            logits = Logits.gaussian(vocabularySize, 3.0, SEED);
            rng = new SplittableRandom(SEED);
        }
    }

    /**
     * The filter chain.
     */
    @State(Scope.Benchmark)
    public static class Filter {
        /** Top-p off or 0.9. */
        @Param
        public TopP topP;

        /** The sampling configuration. */
        SamplingConfig sampling;

        /** Builds the configuration once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            sampling = topP.config();
        }
    }

    /**
     * Builds the filtered distribution of the row and draws one token from it.
     *
     * @param row    the logits and generator
     * @param filter the sampling configuration
     * @return the drawn token id
     */
    @Benchmark
    public int distributionAndDraw(Row row, Filter filter) {
        return TokenSampler.draw(TokenSampler.distribution(row.logits, filter.sampling), row.rng);
    }

    /**
     * The softmax normaliser of the row only (a max pass and an exp pass).
     *
     * @param row the logits
     * @return {@code sum exp(x - max)}
     */
    @Benchmark
    public double baseline(Row row) {
        return Logits.softmaxNormaliser(row.logits);
    }
}
