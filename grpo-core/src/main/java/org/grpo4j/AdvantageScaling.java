package org.grpo4j;

/**
 * How a centred reward {@code r - b} is divided to form the advantage.
 *
 * <p>See {@code docs/objective.md} section "Advantages".
 */
public enum AdvantageScaling {
    /** Divide by the sample (n&minus;1) standard deviation of the prompt's group plus epsilon (GRPO, Shao et al. 2024). */
    GROUP_STD,
    /** Divide by the sample standard deviation of every reward in the batch plus epsilon (Hu 2025, REINFORCE++ style; TRL {@code scale_rewards="batch"}). */
    BATCH_STD,
    /** No division (Dr. GRPO, Liu et al. 2025, "Understanding R1-Zero-Like Training"). */
    NONE
}
