package org.grpo4j;

/**
 * How per-token losses {@code l[i,t]} (masked by {@code m[i,t]}) are reduced to the scalar loss.
 */
public enum LossAggregation {
    /**
     * Mean over sequences of each sequence's token mean: {@code (1/N') sum_i (sum_t m l / sum_t m)}, where
     * {@code N'} counts the sequences with at least one active token, or all N of them with
     * {@link FullyMaskedRows#COUNTED} (GRPO, Shao et al. 2024; TRL {@code loss_type="grpo"}).
     */
    SEQUENCE_MEAN_TOKEN_MEAN,
    /**
     * Mean over every active token of the batch: {@code sum_{i,t} m l / sum_{i,t} m} (DAPO, Yu et al. 2025;
     * TRL {@code loss_type="dapo"}/{@code "bnpo"}).
     */
    TOKEN_MEAN,
    /**
     * Sum over a constant normaliser: {@code sum_{i,t} m l / (N * maxCompletionLength)} (Dr. GRPO, Liu et al. 2025;
     * TRL {@code loss_type="dr_grpo"}).
     */
    CONSTANT_NORMALIZER,
    /**
     * Mean over sequences of each sequence's token sum: {@code (1/N') sum_i sum_t m l}, so that a sequence weighs
     * in proportion to its length (LUSPO, arXiv:2602.05261; TRL {@code loss_type="luspo"}; verl
     * {@code seq-mean-token-sum}). {@code N'} is as for {@link #SEQUENCE_MEAN_TOKEN_MEAN}; TRL counts every
     * sequence ({@link FullyMaskedRows#COUNTED}).
     */
    SEQUENCE_MEAN_TOKEN_SUM
}
