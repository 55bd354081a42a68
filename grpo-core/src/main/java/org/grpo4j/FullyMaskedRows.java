package org.grpo4j;

/**
 * Whether a fully masked sequence (no active token) is counted in the number of sequences a sequence mean divides
 * by ({@link LossAggregation#SEQUENCE_MEAN_TOKEN_MEAN}, {@link LossAggregation#SEQUENCE_MEAN_TOKEN_SUM}). Its own
 * weights and gradient are 0 either way; the other aggregations are unaffected.
 */
public enum FullyMaskedRows {
    /**
     * Left out of the denominator: the mean is over the N′ sequences with at least one active token, so a batch's
     * loss does not shrink because some sequences were masked away. grpo4j's default.
     */
    EXCLUDED,
    /**
     * Counted: the mean is over all N sequences, as TRL's {@code (per_token_loss * mask).sum(-1) /
     * mask.sum(-1).clamp(min=1)).mean()} (and its LUSPO {@code .sum(-1).mean()}) computes it; use it to match a TRL
     * run number for number.
     */
    COUNTED
}
