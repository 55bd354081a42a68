package org.grpo4j.bench.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grpo4j.SamplingConfig;
import org.grpo4j.bench.ForkedJvm;
import org.grpo4j.bench.TokenCounter;
import org.grpo4j.sampling.TokenSampler;
import org.grpo4j.transformer.FullForward;
import org.grpo4j.transformer.MlpActivation;
import org.grpo4j.transformer.PositionEncoding;
import org.grpo4j.transformer.TransformerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.nd4j.linalg.api.buffer.DataType;
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
 * Sampling {@link #NEW_TOKENS} new tokens for G completions of one 8-token prompt with the studies' transformer
 * (4 layers, width 64, 4 heads, vocabulary 40, context 128, random weights, no end-of-sequence token so every
 * completion runs to its length), with the KV cache and by recomputation ({@link DecodingMode}). The
 * {@code tokens} counter (G × 64 per call) gives tokens per millisecond.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsPrepend = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET)
@State(Scope.Benchmark)
public class DecodingBenchmark {
    /** Tokens generated per completion. */
    public static final int NEW_TOKENS = 64;

    /** Completions per call. */
    @Param({"8", "16", "64"})
    public int groupSize;

    /** Cached or recomputed. */
    @Param
    public DecodingMode mode;

    TransformerPolicy policy;
    List<int[]> prompts;
    SamplingConfig sampling;
    SplittableRandom rng;


    /** Builds the model and the prompts once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        rng = new SplittableRandom(13);
        policy = TransformerPolicy.initialize(model(), rng);
        int[] prompt = {1, 5, 9, 13, 17, 21, 25, 29};
        prompts = new ArrayList<>();
        for (int i = 0; i < groupSize; i++) {
            prompts.add(prompt);
        }
        sampling = SamplingConfig.defaults().withMaxNewTokens(NEW_TOKENS).withEosToken(-1);
    }

    /** @return the studies' transformer with a 128-token context */
    static TransformerConfig model() {
        return TransformerConfig.builder().vocabularySize(40).contextLength(128).layers(4).heads(4).modelWidth(64)
                .ffWidth(256).activation(MlpActivation.GELU).dataType(DataType.FLOAT)
                .positionEncoding(PositionEncoding.LEARNED).build();
    }

    /**
     * G completions of 64 tokens.
     *
     * @param tokens the token counter
     * @return the sampled tokens
     */
    @Benchmark
    public Object decode(TokenCounter tokens) {
        tokens.tokens += (long) groupSize * NEW_TOKENS;
        return switch (mode) {
            case KV_CACHE -> policy.sample(prompts, sampling, rng);
            case RECOMPUTE -> recompute(policy, prompts, sampling, rng);
        };
    }

    /**
     * Sampling without a cache: per new token, one batched full forward pass over all sequences so far.
     *
     * @param policy   the model
     * @param prompts  equal-length prompts
     * @param sampling temperature, filters and {@code maxNewTokens}
     * @param rng      the draws
     * @return the sequences, prompt and completion
     */
    static List<int[]> recompute(TransformerPolicy policy, List<int[]> prompts, SamplingConfig sampling,
                                 SplittableRandom rng) {
        List<int[]> seqs = new ArrayList<>(prompts);
        int v = policy.vocabularySize();
        float[] row = new float[v];
        for (int t = 0; t < sampling.maxNewTokens(); t++) {
            float[] logits = FullForward.nextTokenLogits(policy, seqs).data().asFloat();   // [N, V]
            for (int i = 0; i < seqs.size(); i++) {
                System.arraycopy(logits, i * v, row, 0, v);
                int token = TokenSampler.draw(TokenSampler.distribution(row, sampling), rng);
                int[] s = Arrays.copyOf(seqs.get(i), seqs.get(i).length + 1);
                s[s.length - 1] = token;
                seqs.set(i, s);
            }
        }
        return seqs;
    }
}
