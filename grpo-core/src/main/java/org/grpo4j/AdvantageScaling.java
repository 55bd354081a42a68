package org.grpo4j;

/**
 * How a centred reward {@code r - b} is divided to form the advantage. The standard deviations are the sample
 * (n&minus;1) or population (n) one as {@link GrpoConfig#advantageStd()} says.
 *
 * <p>See {@code docs/objective.md} section "Advantages".
 */
public enum AdvantageScaling {
    /** Divide by the standard deviation of the prompt's group of rewards plus epsilon (GRPO, Shao et al. 2024). */
    GROUP_STD,
    /** Divide by the standard deviation of every reward in the batch plus epsilon (TRL {@code scale_rewards="batch"}). */
    BATCH_STD,
    /**
     * Whiten the centred rewards over the batch: subtract their batch mean and divide by their batch standard
     * deviation plus epsilon (REINFORCE++, Hu 2025; verl's {@code masked_whiten} in {@code reinforce_plus_plus} and
     * {@code reinforce_plus_plus_baseline}, there over tokens, here over sequences). With a group baseline
     * ({@code GROUP_MEAN}, {@code LEAVE_ONE_OUT}) the batch mean of the centred rewards is 0 in exact arithmetic and
     * is taken as exactly 0, so an all-equal group still gets exactly 0.
     */
    BATCH_WHITEN,
    /** No division (Dr. GRPO, Liu et al. 2025, "Understanding R1-Zero-Like Training"). */
    NONE
}
