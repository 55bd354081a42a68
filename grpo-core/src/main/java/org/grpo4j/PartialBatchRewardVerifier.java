package org.grpo4j;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A {@link BatchRewardVerifier} that may abstain on some completions of a call, as a {@link PartialRewardVerifier}
 * does on one: an empty score is an abstention, handled as that interface describes (left out of the total and
 * of the verifier's metrics and moments, never a score of 0).
 */
@FunctionalInterface
public interface PartialBatchRewardVerifier extends BatchRewardVerifier {

    /**
     * Scores completions, abstaining on some.
     *
     * @param prompts     the prompt of each completion; as many as {@code completions}, at least one
     * @param completions the completions' token ids
     * @return one score per completion, in order, each finite or empty to abstain
     * @throws Exception if the verifier fails (a failure, not an abstention)
     */
    List<OptionalDouble> scoreBatchIfApplicable(List<Prompt> prompts, List<int[]> completions) throws Exception;

    /**
     * The scores where every completion has one.
     *
     * @throws IllegalStateException if the verifier abstains on a completion or returns another number of scores;
     *                               a {@code VerifierRunner} records abstentions instead of calling this
     * @throws Exception             as {@link #scoreBatchIfApplicable}
     */
    @Override
    default double[] scoreBatch(List<Prompt> prompts, List<int[]> completions) throws Exception {
        List<OptionalDouble> s = scoreBatchIfApplicable(prompts, completions);
        if (s == null || s.size() != completions.size()) {
            throw new IllegalStateException("scoreBatchIfApplicable returned " + (s == null ? "null" : s.size()
                    + " scores") + " for " + completions.size() + " completions");
        }
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            if (s.get(i) == null || s.get(i).isEmpty()) {
                throw new IllegalStateException("verifier '" + name() + "' abstained on completion " + i
                        + ": scoreBatch() has no way to say so; use scoreBatchIfApplicable()");
            }
            out[i] = s.get(i).getAsDouble();
        }
        return out;
    }
}
