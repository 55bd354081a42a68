package org.grpo4j.spark.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.grpo4j.GroupBatch;
import org.grpo4j.GroupSampler;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.sampling.KeyedGroupSampler;
import org.grpo4j.spark.PolicyCodec;
import org.grpo4j.spark.SparkGroupSampler;
import org.grpo4j.spark.SparkSetup;
import org.grpo4j.spark.VerifierFactory;
import org.grpo4j.transformer.TransformerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierRunner;

/**
 * Times rollout steps (sample B·G completions of a small transformer and score them) in each {@link RolloutMode}
 * and prints a Markdown table: median step time, completions per second, and the Spark overhead (SPARK_1 minus
 * LOCAL: the same work on one core). Run it with {@code OMP_NUM_THREADS=1}:
 *
 * <pre>
 * mvn -B -q -Pbench -DskipTests -pl grpo-spark -am package -Dbench.args="steps=10 verifierMillis=2"
 * </pre>
 *
 * <p>Arguments ({@code key=value}): {@code steps} measured steps per mode (10), {@code warmup} (3),
 * {@code prompts} B (32), {@code group} G (8), {@code verifierMillis} sleep per verifier call, standing in for a
 * verifier that runs code (2).
 */
public final class RolloutThroughput {
    private RolloutThroughput() {
    }

    /** A verifier that sleeps, then rewards completions ending with the end-of-sequence token. */
    static final class SleepingVerifier implements RewardVerifier, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final long millis;

        SleepingVerifier(long millis) {
            this.millis = millis;
        }

        @Override
        public double score(Prompt prompt, int[] completion) throws InterruptedException {
            if (millis > 0) {
                Thread.sleep(millis);
            }
            return completion.length > 0 && completion[completion.length - 1] == 0 ? 1 : 0;
        }

        @Override
        public String name() {
            return "eos";
        }
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code key=value} options, see the class comment
     * @throws IllegalArgumentException if an option is unknown or out of range
     */
    public static void main(String[] args) {
        int steps = 10;
        int warmup = 3;
        int b = 32;
        int g = 8;
        long verifierMillis = 2;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("arguments are key=value, was '" + a + "'");
            }
            switch (kv[0]) {
                case "steps" -> steps = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "prompts" -> b = Integer.parseInt(kv[1]);
                case "group" -> g = Integer.parseInt(kv[1]);
                case "verifierMillis" -> verifierMillis = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument '" + kv[0] + "'");
            }
        }
        TransformerPolicy policy = TransformerPolicy.initialize(TransformerConfig.builder().vocabularySize(16)
                .contextLength(32).layers(2).heads(4).modelWidth(64).ffWidth(256).build(), new SplittableRandom(1));
        SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(16).withEosToken(0);
        List<Prompt> prompts = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < b; i++) {
            prompts.add(Prompt.of("p" + i, 1 + r.nextInt(15), 1 + r.nextInt(15), 1 + r.nextInt(15)));
        }
        SleepingVerifier verifier = new SleepingVerifier(verifierMillis);
        VerifierConfig runner = new VerifierConfig(1, Duration.ofSeconds(30),
                org.grpo4j.verify.FailurePolicy.FAIL, 0);
        System.out.printf(Locale.ROOT, "B=%d G=%d, %d new tokens max, transformer 2x64, verifier sleeps %d ms, "
                + "%d cores, load %s%n%n", b, g, sampling.maxNewTokens(), verifierMillis,
                Runtime.getRuntime().availableProcessors(), load());
        System.out.println("| mode | median step (s) | completions/s |");
        System.out.println("|---|---:|---:|");
        double localMedian = Double.NaN;
        double oneCore = Double.NaN;
        for (RolloutMode mode : RolloutMode.values()) {
            StepTimes t = measure(mode, policy, prompts, g, sampling, verifier, runner, warmup, steps);
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.0f |%n", mode, t.median(), t.throughput(b * g));
            if (mode == RolloutMode.LOCAL) {
                localMedian = t.median();
            } else if (mode == RolloutMode.SPARK_1) {
                oneCore = t.median();
            }
        }
        System.out.printf(Locale.ROOT, "%nSpark overhead per step (SPARK_1 - LOCAL): %.3f s; load after: %s%n",
                oneCore - localMedian, load());
    }

    private static StepTimes measure(RolloutMode mode, TransformerPolicy policy, List<Prompt> prompts, int g,
                                     SamplingConfig sampling, SleepingVerifier verifier, VerifierConfig runner,
                                     int warmup, int steps) {
        double[] seconds = new double[steps];
        if (mode == RolloutMode.LOCAL) {
            GroupSampler sampler = new KeyedGroupSampler();
            try (VerifierRunner scoring = new VerifierRunner(verifier, runner)) {
                for (int s = -warmup; s < steps; s++) {
                    long t0 = System.nanoTime();
                    GroupBatch batch = sampler.sample(policy, prompts, g, sampling, new SplittableRandom(s));
                    scoring.score(batch);
                    if (s >= 0) {
                        seconds[s] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            return new StepTimes(seconds);
        }
        Path scratch = Path.of("target", "spark-bench");
        try (JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf("local[" + mode.cores() + "]", scratch)
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"))) {
            GroupSampler sampler = SparkGroupSampler.of(spark, PolicyCodec.transformer(), VerifierFactory.of(verifier),
                    runner, mode.cores());
            for (int s = -warmup; s < steps; s++) {
                long t0 = System.nanoTime();
                sampler.sample(policy, prompts, g, sampling, new SplittableRandom(s));
                if (s >= 0) {
                    seconds[s] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        return new StepTimes(seconds);
    }

    private static String load() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%.2f", l);
    }
}
