package org.grpo4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.grpo4j.Checks;
import org.grpo4j.GroupBatch;
import org.grpo4j.Prompt;
import org.grpo4j.Rewards;
import org.grpo4j.verify.VerifierConfig;

/**
 * Scores a large batch of (prompt, completion) pairs across Spark executors with any verifier the factory builds,
 * the out-of-process {@code ProcessVerifier} included. The pairs are split into {@code partitions} tasks; each
 * task scores its pairs with a {@code VerifierRunner} of its own (bounded pool, time limit per call, failure policy),
 * so the limits are enforced on the executor where the call runs. The driver puts the scores back in input order:
 * the result equals a local {@code VerifierRunner}'s with the same verifier and configuration, whatever the
 * partitioning.
 *
 * <p>A task is a pure function of its pairs, so a retried task (lost executor, killed worker) scores what the first
 * attempt would have, provided the verifier is deterministic and has no side effects outside its return value;
 * a verifier with side effects (writing files, calling a service that counts) must make them idempotent, keyed by
 * the pair, since Spark may run a task more than once. Keep speculative execution off
 * ({@code spark.speculation=false}): a speculative copy doubles the verifier's cost and, with side effects, its
 * effects.
 */
public final class SparkVerifierRunner {
    private final JavaSparkContext spark;
    private final VerifierFactory verifier;
    private final Wire.Verifiers config;
    private final int partitions;

    /**
     * @param spark      the Spark context
     * @param verifier   builds the verifier in each task
     * @param config     each task's runner: threads, time limit per call, failure policy
     * @param partitions tasks per batch; ≥ 1
     * @throws IllegalArgumentException if an argument is null or {@code partitions < 1}
     */
    public SparkVerifierRunner(JavaSparkContext spark, VerifierFactory verifier, VerifierConfig config,
                               int partitions) {
        this.spark = Checks.notNull("spark", spark);
        this.verifier = Checks.notNull("verifier", verifier);
        this.config = Wire.Verifiers.of(Checks.notNull("config", config));
        this.partitions = Checks.atLeast("partitions", partitions, 1);
    }

    /**
     * Scores every completion of a batch.
     *
     * @param batch the groups
     * @return total and per-verifier rewards, in the batch's order
     * @throws IllegalArgumentException             if {@code batch} is null
     * @throws org.grpo4j.verify.VerifierException as {@link #score(List, List)}
     */
    public Rewards score(GroupBatch batch) {
        Checks.notNull("batch", batch);
        return score(batch.promptPerSequence(), batch.completionTokens());
    }

    /**
     * Scores completions of the given prompts.
     *
     * @param prompts     the prompt of each completion; not empty
     * @param completions the completions' token ids
     * @return total and per-verifier rewards, in input order; the counters summed over the tasks
     * @throws IllegalArgumentException             if a list is null or empty or the sizes differ
     * @throws org.grpo4j.verify.VerifierException under {@code FailurePolicy.FAIL} when a verifier throws or times
     *                                              out in every attempt Spark makes, and when a score is not finite
     * @throws IllegalStateException                if the Spark job fails for another reason
     */
    public Rewards score(List<Prompt> prompts, List<int[]> completions) {
        Checks.notNull("prompts", prompts);
        Checks.notNull("completions", completions);
        if (prompts.size() != completions.size()) {
            throw new IllegalArgumentException("prompts size (" + prompts.size() + ") must equal completions size ("
                    + completions.size() + ")");
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
        List<Wire.Pair> pairs = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            pairs.add(new Wire.Pair(i, Wire.IndexedPrompt.of(i, Checks.notNull("prompts[" + i + "]", prompts.get(i))),
                    Checks.notNull("completions[" + i + "]", completions.get(i)).clone()));
        }
        Task task = new Task(verifier, config);
        List<Wire.Scored> parts = SparkJobs.collect(() -> spark.parallelize(pairs, partitions).mapPartitions(task)
                .collect());
        List<int[]> rows = new ArrayList<>();
        List<Wire.Scores> scores = new ArrayList<>();
        for (Wire.Scored p : parts) {
            rows.add(p.indices());
            scores.add(p.scores());
        }
        return Wire.assemble(prompts.size(), rows, scores);
    }

    /** One partition's scoring. */
    private static final class Task implements FlatMapFunction<Iterator<Wire.Pair>, Wire.Scored> {
        private static final long serialVersionUID = 1L;
        private final VerifierFactory verifier;
        private final Wire.Verifiers config;

        Task(VerifierFactory verifier, Wire.Verifiers config) {
            this.verifier = verifier;
            this.config = config;
        }

        @Override
        public Iterator<Wire.Scored> call(Iterator<Wire.Pair> slice) {
            List<Wire.Pair> mine = new ArrayList<>();
            slice.forEachRemaining(mine::add);
            if (mine.isEmpty()) {
                return java.util.Collections.emptyIterator();
            }
            int[] indices = new int[mine.size()];
            List<Prompt> prompts = new ArrayList<>(mine.size());
            List<int[]> completions = new ArrayList<>(mine.size());
            for (int i = 0; i < mine.size(); i++) {
                indices[i] = mine.get(i).index();
                prompts.add(mine.get(i).prompt().prompt());
                completions.add(mine.get(i).completion());
            }
            Rewards r = ExecutorScoring.score(verifier, config, prompts, completions);
            return List.of(new Wire.Scored(indices, Wire.Scores.of(r))).iterator();
        }
    }
}
