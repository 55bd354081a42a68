package org.grpo4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.grpo4j.Checks;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.GroupSampler;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.Rewards;
import org.grpo4j.SamplingConfig;
import org.grpo4j.sampling.KeyedGroupSampler;
import org.grpo4j.sampling.SamplerArguments;
import org.grpo4j.verify.VerifierConfig;

/**
 * Samples and scores a step's groups on Spark executors, returning exactly the batch of the local
 * {@link KeyedGroupSampler} (scored as a {@code VerifierRunner} with the same verifier and configuration scores it).
 *
 * <p>One {@link #sample} call is one Spark job: the driver draws the step key from the step's generator (the one
 * draw {@link KeyedGroupSampler} makes), encodes the policy with the {@link PolicyCodec} and broadcasts the bytes
 * once, and splits the B prompts, each with its index, into {@code partitions} slices. A task rebuilds the policy
 * from the broadcast, samples each of its groups with {@link KeyedGroupSampler#sampleGroup} (randomness keyed by
 * step key and prompt index, never by partition, task or attempt), records the sampling log-probabilities and
 * scores its completions with a verifier runner of its own, so the verifier's time limit is enforced on the
 * executor. The driver collects the groups, puts them back in prompt order and returns a scored
 * {@link GroupBatch}; the trainer then skips its own scoring.
 *
 * <p>A task is a pure function of the broadcast bytes, the step key and its prompts, so a retried task (a lost
 * executor, a killed worker) returns what the first attempt would have, for a deterministic verifier; a verifier
 * whose score depends on time (a timeout near its limit) may score a retry differently. Keep speculative execution
 * off ({@code spark.speculation=false}, Spark's default): it only duplicates work here. See
 * {@code docs/scale-out.md}.
 *
 * <p>The sampler holds the Spark context but does not own it: the caller stops it.
 */
public final class SparkGroupSampler implements GroupSampler {
    private final JavaSparkContext spark;
    private final PolicyCodec codec;
    private final VerifierFactory verifier;
    private final Wire.Verifiers verifierConfig;
    private final int partitions;

    private SparkGroupSampler(JavaSparkContext spark, PolicyCodec codec, VerifierFactory verifier,
                              VerifierConfig verifierConfig, int partitions) {
        this.spark = Checks.notNull("spark", spark);
        this.codec = Checks.notNull("codec", codec);
        this.verifier = Checks.notNull("verifier", verifier);
        this.verifierConfig = Wire.Verifiers.of(Checks.notNull("verifierConfig", verifierConfig));
        this.partitions = Checks.atLeast("partitions", partitions, 1);
    }

    /**
     * A sampler splitting each step's prompts into {@code partitions} tasks.
     *
     * @param spark          the Spark context (local or a cluster's)
     * @param codec          how the policy travels, e.g. {@link PolicyCodec#transformer()}
     * @param verifier       builds the verifier in each task
     * @param verifierConfig the executors' runner: threads per task, time limit per call, failure policy
     * @param partitions     tasks per step; ≥ 1 (more than the prompts leaves some empty)
     * @return the sampler
     * @throws IllegalArgumentException if an argument is null or {@code partitions < 1}
     */
    public static SparkGroupSampler of(JavaSparkContext spark, PolicyCodec codec, VerifierFactory verifier,
                                       VerifierConfig verifierConfig, int partitions) {
        return new SparkGroupSampler(spark, codec, verifier, verifierConfig, partitions);
    }

    /**
     * A sampler with one task per core of the context ({@code defaultParallelism}).
     *
     * @param spark          the Spark context
     * @param codec          how the policy travels
     * @param verifier       builds the verifier in each task
     * @param verifierConfig the executors' runner
     * @return the sampler
     * @throws IllegalArgumentException if an argument is null
     */
    public static SparkGroupSampler of(JavaSparkContext spark, PolicyCodec codec, VerifierFactory verifier,
                                       VerifierConfig verifierConfig) {
        Checks.notNull("spark", spark);
        return of(spark, codec, verifier, verifierConfig, Math.max(1, spark.defaultParallelism()));
    }

    /** @return the number of tasks per step */
    public int partitions() {
        return partitions;
    }

    /**
     * Samples and scores the groups on the executors.
     *
     * @throws IllegalArgumentException             if an argument is null, {@code groupSize < 2} or the prompts are
     *                                              empty
     * @throws org.grpo4j.verify.VerifierException if a verifier fails under {@code FailurePolicy.FAIL} (after
     *                                              Spark's retries)
     * @throws IllegalStateException                if the Spark job fails for another reason
     */
    @Override
    public GroupBatch sample(Policy policy, List<Prompt> prompts, int groupSize, SamplingConfig sampling,
                             RandomGenerator rng) {
        SamplerArguments.check(policy, prompts, groupSize, sampling, rng);
        long stepKey = KeyedGroupSampler.stepKey(rng);
        Broadcast<byte[]> weights = spark.broadcast(codec.encode(policy));
        List<Wire.Groups> parts;
        try {
            Task task = new Task(codec, weights, stepKey, groupSize, Wire.Sampling.of(sampling), verifier,
                    verifierConfig);
            parts = SparkJobs.collect(() -> spark.parallelize(Wire.indexed(prompts), partitions)
                    .mapPartitions(task).collect());
        } finally {
            weights.destroy();
        }
        int b = prompts.size();
        Completion[][] groups = new Completion[b][];
        List<int[]> rows = new ArrayList<>(parts.size());
        List<Wire.Scores> scores = new ArrayList<>(parts.size());
        for (Wire.Groups part : parts) {
            int[] at = new int[part.indices().length * groupSize];
            for (int q = 0; q < part.indices().length; q++) {
                int index = part.indices()[q];
                if (groups[index] != null) {
                    throw new IllegalStateException("prompt " + index + " came back twice");
                }
                groups[index] = part.groups().get(q).stream().map(Wire.Sampled::completion)
                        .toArray(Completion[]::new);
                for (int k = 0; k < groupSize; k++) {
                    at[q * groupSize + k] = index * groupSize + k;
                }
            }
            rows.add(at);
            scores.add(part.scores());
        }
        List<Completion> completions = new ArrayList<>(b * groupSize);
        for (int i = 0; i < b; i++) {
            if (groups[i] == null) {
                throw new IllegalStateException("prompt " + i + " was not sampled");
            }
            completions.addAll(List.of(groups[i]));
        }
        Rewards rewards = Wire.assemble(b * groupSize, rows, scores);
        return new GroupBatch(prompts, groupSize, completions, 1, 0, rewards);
    }

    /** One partition's work: rebuild the policy, sample its groups, score them. */
    private static final class Task implements FlatMapFunction<Iterator<Wire.IndexedPrompt>, Wire.Groups> {
        private static final long serialVersionUID = 1L;
        private final PolicyCodec codec;
        private final Broadcast<byte[]> weights;
        private final long stepKey;
        private final int groupSize;
        private final Wire.Sampling sampling;
        private final VerifierFactory verifier;
        private final Wire.Verifiers verifierConfig;

        Task(PolicyCodec codec, Broadcast<byte[]> weights, long stepKey, int groupSize, Wire.Sampling sampling,
             VerifierFactory verifier, Wire.Verifiers verifierConfig) {
            this.codec = codec;
            this.weights = weights;
            this.stepKey = stepKey;
            this.groupSize = groupSize;
            this.sampling = sampling;
            this.verifier = verifier;
            this.verifierConfig = verifierConfig;
        }

        @Override
        public Iterator<Wire.Groups> call(Iterator<Wire.IndexedPrompt> slice) {
            List<Wire.IndexedPrompt> mine = new ArrayList<>();
            slice.forEachRemaining(mine::add);
            if (mine.isEmpty()) {
                return java.util.Collections.emptyIterator();
            }
            Policy policy = codec.decode(weights.value());
            SamplingConfig config = sampling.config();
            int[] indices = new int[mine.size()];
            List<List<Wire.Sampled>> groups = new ArrayList<>(mine.size());
            List<Prompt> scoredPrompts = new ArrayList<>(mine.size() * groupSize);
            List<int[]> scoredCompletions = new ArrayList<>(mine.size() * groupSize);
            for (int q = 0; q < mine.size(); q++) {
                Wire.IndexedPrompt p = mine.get(q);
                indices[q] = p.index();
                Prompt prompt = p.prompt();
                List<Completion> group = KeyedGroupSampler.sampleGroup(policy, prompt, groupSize, config, stepKey,
                        p.index());
                groups.add(group.stream().map(Wire.Sampled::of).toList());
                for (Completion c : group) {
                    scoredPrompts.add(prompt);
                    scoredCompletions.add(c.tokens());
                }
            }
            Rewards r = ExecutorScoring.score(verifier, verifierConfig, scoredPrompts, scoredCompletions);
            return List.of(new Wire.Groups(indices, groups, Wire.Scores.of(r))).iterator();
        }
    }
}
