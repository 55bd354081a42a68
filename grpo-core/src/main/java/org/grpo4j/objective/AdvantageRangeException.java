package org.grpo4j.objective;

import java.util.Arrays;

/**
 * The advantages of a group cannot be represented in the data type they must be returned in: the centred reward
 * {@code r − b} itself exceeds the range (rewards near ±1.8e308 without std scaling), or an advantage exceeds the
 * FLOAT range when the result is a FLOAT array. The message names the group, its rewards and the configuration; the
 * trainer adds the verifier that produced them.
 */
public final class AdvantageRangeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int group;
    private final double[] rewards;

    /**
     * @param group   the index of the group (prompt) in the batch
     * @param rewards the group's G rewards (copied)
     * @param what    what could not be represented
     */
    public AdvantageRangeException(int group, double[] rewards, String what) {
        super("advantages of group " + group + " with rewards " + Arrays.toString(rewards) + " cannot be represented: "
                + what);
        this.group = group;
        this.rewards = rewards.clone();
    }

    /** @return the index of the group in the batch */
    public int group() {
        return group;
    }

    /** @return a copy of the group's rewards */
    public double[] rewards() {
        return rewards.clone();
    }
}
