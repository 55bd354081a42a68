package org.grpo4j;

import java.util.List;

/**
 * A verifier that scores many completions in one call, for verifiers with a cost per call (starting a child
 * process, a request to a sandbox). The {@code VerifierRunner} hands it up to {@link #maxBatchSize()} completions
 * per call; each call takes one of the runner's slots and has the runner's time limit.
 */
@FunctionalInterface
public interface BatchRewardVerifier extends RewardVerifier {

    /**
     * Scores completions.
     *
     * @param prompts     the prompt of each completion; as many as {@code completions}, at least one
     * @param completions the completions' token ids
     * @return one reward per completion, in order; each must be finite
     * @throws Exception if the verifier fails; the trainer reports it with the verifier's name and the first
     *                   completion of the call
     */
    double[] scoreBatch(List<Prompt> prompts, List<int[]> completions) throws Exception;

    /** @return the most completions one {@link #scoreBatch} call may get; ≥ 1 (unbounded unless overridden) */
    default int maxBatchSize() {
        return Integer.MAX_VALUE;
    }

    /**
     * Scores one completion as a batch of one.
     *
     * @throws Exception as {@link #scoreBatch}, and an {@link IllegalStateException} if it does not return exactly
     *                   one reward
     */
    @Override
    default double score(Prompt prompt, int[] completion) throws Exception {
        double[] r = scoreBatch(List.of(prompt), List.of(completion));
        if (r == null || r.length != 1) {
            throw new IllegalStateException("scoreBatch returned " + (r == null ? "null" : r.length + " rewards")
                    + " for 1 completion");
        }
        return r[0];
    }
}
