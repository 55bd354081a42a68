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
    LEAVE_ONE_OUT
}
