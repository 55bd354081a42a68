package org.grpo4j;

/**
 * How the scores of several verifiers (a {@link CombinedVerifier}) become advantages, TRL's
 * {@code multi_objective_aggregation}. A verifier that abstains on a completion (see {@link PartialRewardVerifier})
 * is left out of that completion's sum, as TRL's {@code nansum} does.
 *
 * <p>See {@code docs/objective.md} section "Several verifiers".
 */
public enum RewardAggregation {
    /**
     * Weighted sum of the verifiers' scores, then the configured advantage ({@link AdvantageBaseline},
     * {@link AdvantageScaling}) of the sum (TRL {@code "sum_then_normalize"}, the default).
     */
    SUM_THEN_NORMALIZE,
    /**
     * Each verifier's scores are normalised in each group over the completions it scored,
     * {@code (s − mean) / (std + ε)}; their weighted sum is then whitened over the batch,
     * {@code (x − mean) / (std + ε)}, the mean 0 in exact arithmetic and taken as exactly 0 (GDPO, Liu et al. 2026,
     * "Group reward-Decoupled Normalization Policy Optimization"; TRL {@code "normalize_then_sum"}). Needs the per-verifier scores, so the trainer computes these
     * advantages ({@code org.grpo4j.objective.Advantages#normalizeThenSum}); requires {@code GROUP_MEAN} and
     * {@code GROUP_STD}.
     */
    NORMALIZE_THEN_SUM
}
