package org.grpo4j.objective;

import org.grpo4j.AdvantageScaling;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.memory.DirectElements;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Group-relative advantages in double precision (N is small: per-group scalar math belongs in plain Java, not in
 * one ND4J op per group).
 *
 * <p>For group g with rewards {@code r_1..r_G}: {@code A_i = (r_i - b_i) / s}, where {@code b_i} is the group
 * mean ({@code GROUP_MEAN}) or the mean of the other G−1 rewards ({@code LEAVE_ONE_OUT}) and {@code s} is the
 * group's sample standard deviation + ε ({@code GROUP_STD}), the whole batch's sample standard deviation + ε
 * ({@code BATCH_STD}) or 1 ({@code NONE}). A group whose rewards are all equal gets exactly 0.
 */
public final class Advantages {
    private Advantages() {
    }

    /**
     * {@link #compute(double[], GrpoConfig)} on a vector, read and written directly for FLOAT and DOUBLE: what both
     * objectives' {@code advantages} return.
     *
     * @param rewards {@code [N]} floating rewards, group-major
     * @param config  group size, baseline, scaling and ε
     * @return {@code [N]} advantages, a new array in the rewards' data type
     * @throws IllegalArgumentException if an argument is null, {@code rewards} is not a floating vector, N is not a
     *                                  positive multiple of the group size or a reward is not finite
     */
    public static INDArray compute(INDArray rewards, GrpoConfig config) {
        Checks.notNull("rewards", rewards);
        Checks.notNull("config", config);
        ObjectiveChecks.checkVector("rewards", rewards, -1);
        return DirectElements.array(compute(DirectElements.vector(rewards), config), rewards.dataType());
    }

    /**
     * Computes the advantages of a group-major batch of rewards.
     *
     * @param rewards N rewards, group-major ({@code [g*G, (g+1)*G)} is group g)
     * @param config  group size, baseline, scaling and ε
     * @return N advantages
     * @throws IllegalArgumentException if N is not a positive multiple of the group size or a reward is not finite
     */
    public static double[] compute(double[] rewards, GrpoConfig config) {
        int g = config.groupSize();
        checkRewards(rewards, g);
        int n = rewards.length;
        double batchScale = config.advantageScaling() == AdvantageScaling.BATCH_STD
                ? sampleStd(rewards, 0, n) + config.advantageEpsilon() : 1.0;
        double[] adv = new double[n];
        for (int start = 0; start < n; start += g) {
            if (allEqual(rewards, start, g)) {
                continue; // exactly 0, not a rounding residue of r - mean(r)
            }
            double sum = 0;
            for (int i = start; i < start + g; i++) {
                sum += rewards[i];
            }
            double mean = sum / g;
            double scale = switch (config.advantageScaling()) {
                case GROUP_STD -> sampleStd(rewards, start, g) + config.advantageEpsilon();
                case BATCH_STD -> batchScale;
                case NONE -> 1.0;
            };
            for (int i = start; i < start + g; i++) {
                double baseline = switch (config.advantageBaseline()) {
                    case GROUP_MEAN -> mean;
                    case LEAVE_ONE_OUT -> (sum - rewards[i]) / (g - 1);
                };
                adv[i] = (rewards[i] - baseline) / scale;
            }
        }
        return adv;
    }

    /**
     * The fraction of groups whose rewards are all equal (TRL's {@code frac_reward_zero_std}).
     *
     * @param rewards   N rewards, group-major
     * @param groupSize G
     * @return the fraction in [0, 1]
     * @throws IllegalArgumentException if N is not a positive multiple of G or a reward is not finite
     */
    public static double fractionOfZeroStdGroups(double[] rewards, int groupSize) {
        checkRewards(rewards, groupSize);
        int groups = rewards.length / groupSize;
        int zero = 0;
        for (int start = 0; start < rewards.length; start += groupSize) {
            if (allEqual(rewards, start, groupSize)) {
                zero++;
            }
        }
        return (double) zero / groups;
    }

    /**
     * The sample (n−1) standard deviation of {@code x[from, from + len)}, 0 when {@code len < 2}.
     *
     * @param x    values
     * @param from first index
     * @param len  count
     * @return the standard deviation
     */
    public static double sampleStd(double[] x, int from, int len) {
        if (len < 2) {
            return 0;
        }
        double mean = 0;
        for (int i = from; i < from + len; i++) {
            mean += x[i];
        }
        mean /= len;
        double ss = 0;
        for (int i = from; i < from + len; i++) {
            double d = x[i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (len - 1));
    }

    private static boolean allEqual(double[] x, int from, int len) {
        for (int i = from + 1; i < from + len; i++) {
            if (x[i] != x[from]) {
                return false;
            }
        }
        return true;
    }

    private static void checkRewards(double[] rewards, int groupSize) {
        if (rewards.length == 0 || rewards.length % groupSize != 0) {
            throw new IllegalArgumentException("batch of " + rewards.length + " rewards must be a positive whole number "
                    + "of groups of groupSize " + groupSize);
        }
        for (int i = 0; i < rewards.length; i++) {
            if (!Double.isFinite(rewards[i])) {
                throw new IllegalArgumentException("rewards[" + i + "] must be finite, was " + rewards[i]);
            }
        }
    }
}
