package org.grpo4j.objective;

import java.util.Arrays;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.memory.DirectElements;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Group-relative advantages in double precision (N is small: per-group scalar math belongs in plain Java, not in
 * one ND4J op per group).
 *
 * <p>For group g with rewards {@code r_1..r_G}: {@code A_i = (r_i - b_i) / s}, where {@code b_i} is the group
 * mean ({@code GROUP_MEAN}) or the mean of the other G−1 rewards ({@code LEAVE_ONE_OUT}) and {@code s} is the
 * group's sample standard deviation + ε ({@code GROUP_STD}), the whole batch's sample standard deviation + ε
 * ({@code BATCH_STD}) or 1 ({@code NONE}). A group whose rewards are all equal gets exactly 0.
 *
 * <p>The moments are computed scale-free ({@link ScaledMoments}): each group is scaled by a power of two that brings
 * its largest magnitude into [1, 2) before its mean and deviation are taken, so with ε = 0 the advantages of
 * {@code c · r} equal those of {@code r} for every c &gt; 0 (bit for bit when c is a power of two), from rewards of
 * 1e-300 to 1e308: {1e160, 0, 0, 0} gives 1.5 like {1, 0, 0, 0}, where an unscaled variance overflows. FLOAT rewards
 * are read into double and every step is in double; only the result is rounded to FLOAT, once. What cannot be
 * represented — a centred reward beyond ±1.8e308 without std scaling, an advantage beyond the FLOAT range in a
 * FLOAT result — is an {@link AdvantageRangeException} naming the group and its rewards, never ±Infinity or NaN.
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
     * @throws AdvantageRangeException  if an advantage cannot be represented in double or, for FLOAT rewards, in
     *                                  FLOAT
     */
    public static INDArray compute(INDArray rewards, GrpoConfig config) {
        Checks.notNull("rewards", rewards);
        Checks.notNull("config", config);
        ObjectiveChecks.checkVector("rewards", rewards, -1);
        double[] r = DirectElements.vector(rewards);
        double[] a = compute(r, config);
        DataType dt = rewards.dataType();
        INDArray out = DirectElements.array(a, dt);
        if (dt != DataType.DOUBLE) {
            checkFits(r, a, dt == DataType.FLOAT ? null : out.toDoubleVector(), config.groupSize(), dt);
        }
        return out;
    }

    /**
     * Computes the advantages of a group-major batch of rewards.
     *
     * @param rewards N rewards, group-major ({@code [g*G, (g+1)*G)} is group g)
     * @param config  group size, baseline, scaling and ε
     * @return N finite advantages
     * @throws IllegalArgumentException if N is not a positive multiple of the group size or a reward is not finite
     * @throws AdvantageRangeException  if an advantage exceeds the double range (only possible with
     *                                  {@code advantageScaling = NONE} and rewards beyond ±9e307)
     */
    public static double[] compute(double[] rewards, GrpoConfig config) {
        int g = config.groupSize();
        checkRewards(rewards, g);
        int n = rewards.length;
        double eps = config.advantageEpsilon();
        // the batch deviation, as scaled value and exponent: s_batch = batchStd · 2^batchExp
        int batchExp = 0;
        double batchStd = 1;
        if (config.advantageScaling() == AdvantageScaling.BATCH_STD) {
            batchExp = ScaledMoments.exponent(rewards, 0, n);
            double[] y = ScaledMoments.scaled(rewards, 0, n, batchExp);
            batchStd = ScaledMoments.std(y, ScaledMoments.mean(y), 1);
        }
        double[] adv = new double[n];
        for (int start = 0; start < n; start += g) {
            if (allEqual(rewards, start, g)) {
                continue; // exactly 0, not a rounding residue of r - mean(r)
            }
            int e = ScaledMoments.exponent(rewards, start, g);
            double[] y = ScaledMoments.scaled(rewards, start, g, e);      // r · 2^-e, max |y| in [1, 2)
            double mean = ScaledMoments.mean(y);
            double groupStd = config.advantageScaling() == AdvantageScaling.GROUP_STD
                    ? ScaledMoments.std(y, mean, 1) : 0;
            for (int k = 0; k < g; k++) {
                double centred = switch (config.advantageBaseline()) {
                    case GROUP_MEAN -> y[k] - mean;
                    // r_k − (Σr − r_k)/(G−1) = G/(G−1) · (r_k − mean)
                    case LEAVE_ONE_OUT -> (y[k] - mean) * g / (g - 1);
                };
                double a = switch (config.advantageScaling()) {
                    case GROUP_STD -> ScaledMoments.quotient(centred, e, groupStd, e, eps);
                    case BATCH_STD -> ScaledMoments.quotient(centred, e, batchStd, batchExp, eps);
                    case NONE -> Math.scalb(centred, e);
                };
                if (!Double.isFinite(a)) {
                    throw new AdvantageRangeException(start / g, Arrays.copyOfRange(rewards, start, start + g),
                            "A[" + (start + k) + "] = " + a + " exceeds the double range (advantageBaseline "
                                    + config.advantageBaseline() + ", advantageScaling " + config.advantageScaling()
                                    + ")");
                }
                adv[start + k] = a;
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
     * The sample (n−1) standard deviation of {@code x[from, from + len)}, 0 when {@code len < 2}; computed
     * scale-free, so it is finite whenever the true deviation is below the double range (+Infinity beyond).
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
        int e = ScaledMoments.exponent(x, from, len);
        double[] y = ScaledMoments.scaled(x, from, len, e);
        return Math.scalb(ScaledMoments.std(y, ScaledMoments.mean(y), 1), e);
    }

    /** The advantages rounded to a narrower type are finite; {@code rounded} null means FLOAT (checked here). */
    private static void checkFits(double[] rewards, double[] adv, double[] rounded, int g, DataType dt) {
        for (int i = 0; i < adv.length; i++) {
            if (rounded == null ? Float.isInfinite((float) adv[i]) : !Double.isFinite(rounded[i])) {
                int start = i / g * g;
                throw new AdvantageRangeException(i / g, Arrays.copyOfRange(rewards, start, start + g),
                        "A[" + i + "] = " + adv[i] + " exceeds the " + dt + " range");
            }
        }
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
