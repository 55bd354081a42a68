package org.grpo4j;

/**
 * The baseline {@code b} subtracted from a reward to form the advantage.
 *
 * <p>See {@code docs/objective.md} section "Advantages".
 */
public enum AdvantageBaseline {
    /** The mean of the G rewards of the group, the sample itself included (GRPO, Shao et al. 2024). */
    GROUP_MEAN,
    /** The mean of the other G&minus;1 rewards of the group (RLOO, Ahmadian et al. 2024). */
    LEAVE_ONE_OUT,
    /**
     * No baseline: {@code b = 0}, the reward itself (REINFORCE++, Hu 2025, whose baseline is the batch mean that
     * {@link AdvantageScaling#BATCH_WHITEN} subtracts; verl {@code reinforce_plus_plus}).
     */
    NONE,
    /**
     * The reward of one extra greedy (arg-max) completion of the prompt (ReMax, Li et al. 2023; verl
     * {@code remax}). The greedy completion comes from {@link GroupSampler#sampleGreedy}; the advantages then need
     * its reward, so the objective cannot derive them from the rewards alone (see
     * {@code org.grpo4j.objective.Advantages#compute(double[], double[], GrpoConfig)}).
     */
    GREEDY
}
