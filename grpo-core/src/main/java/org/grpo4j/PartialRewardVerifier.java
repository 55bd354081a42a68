package org.grpo4j;

import java.util.OptionalDouble;

/**
 * A verifier that may abstain: it gives no score to a completion it cannot judge (a format check on a prompt
 * without a format, a code test on a prompt without tests), as a TRL reward function returns {@code None}. An
 * abstention is not a score of 0: the trainer leaves it out of the completion's weighted sum (TRL's
 * {@code nansum}), out of the verifier's own metrics ({@code rewards/<name>/mean}, {@code /std}, over the
 * completions it scored, TRL's {@code nanmean}/{@code nanstd}) and, under GDPO
 * ({@link RewardAggregation#NORMALIZE_THEN_SUM}), out of the verifier's group moments. A completion on which every
 * verifier abstains gets the total reward 0, as TRL's {@code nansum} of an all-NaN row (TRL warns; the trainer
 * counts them in {@code verifier/all_abstained}). {@link Rewards#abstained()} records each abstention.
 *
 * <p>Like every verifier, it must be safe to call from several threads at once. {@link PartialBatchRewardVerifier}
 * is the batch form.
 */
@FunctionalInterface
public interface PartialRewardVerifier extends RewardVerifier {

    /**
     * Scores a completion, or abstains.
     *
     * @param prompt     the prompt, with its reference answer if it has one
     * @param completion the completion's token ids
     * @return the reward, finite, or empty to abstain
     * @throws Exception if the verifier fails (a failure, not an abstention: the configured failure policy applies)
     */
    OptionalDouble scoreIfApplicable(Prompt prompt, int[] completion) throws Exception;

    /**
     * The score where there is one; a caller that cannot represent an abstention gets an exception.
     *
     * @throws IllegalStateException if the verifier abstains on this completion; a {@code VerifierRunner} (and so
     *                               the trainer) records abstentions instead of calling this
     * @throws Exception             as {@link #scoreIfApplicable}
     */
    @Override
    default double score(Prompt prompt, int[] completion) throws Exception {
        OptionalDouble s = scoreIfApplicable(prompt, completion);
        if (s.isEmpty()) {
            throw new IllegalStateException("verifier '" + name() + "' abstained on prompt '" + prompt.id()
                    + "': score() has no way to say so; use scoreIfApplicable()");
        }
        return s.getAsDouble();
    }

    /**
     * Gives a partial verifier (a lambda, say) a name for metrics and error messages.
     *
     * @param name     the name; not blank
     * @param verifier the verifier
     * @return a partial verifier scoring as {@code verifier} whose {@link #name()} is {@code name}
     * @throws IllegalArgumentException if {@code name} is blank or {@code verifier} is null
     */
    static PartialRewardVerifier named(String name, PartialRewardVerifier verifier) {
        return (PartialRewardVerifier) new WeightedVerifier(name, 1.0, verifier).asVerifier();
    }
}
