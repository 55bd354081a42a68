package org.grpo4j.objective;

import java.util.Arrays;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.RewardAggregation;
import org.grpo4j.memory.DirectElements;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Group-relative advantages in double precision (N is small: per-group scalar math belongs in plain Java, not in
 * one ND4J op per group).
 *
 * <p>For group g with rewards {@code r_1..r_G}: {@code A_i = (r_i - b_i) / s}, where {@code b_i} is the group
 * mean ({@code GROUP_MEAN}), the mean of the other G−1 rewards ({@code LEAVE_ONE_OUT}), 0 ({@code NONE}) or the
 * reward of the prompt's greedy completion ({@code GREEDY}, ReMax), and {@code s} is the group's standard deviation
 * + ε ({@code GROUP_STD}), the whole batch's standard deviation of the rewards + ε ({@code BATCH_STD}) or 1
 * ({@code NONE}); {@code BATCH_WHITEN} (REINFORCE++) instead subtracts the batch mean of the centred rewards
 * {@code c = r − b} and divides by their batch standard deviation + ε. Every deviation is the sample (n−1) or the
 * population (n) one as {@link GrpoConfig#advantageStd()} says. With a group baseline ({@code GROUP_MEAN},
 * {@code LEAVE_ONE_OUT}) a group whose rewards are all equal gets exactly 0, a centred reward of exactly 0
 * gives exactly 0 under every scaling but {@code BATCH_WHITEN} with {@code NONE} or {@code GREEDY} (no 0/0), and
 * {@code BATCH_WHITEN} gives exactly 0 everywhere when every centred reward of the batch is equal.
 *
 * <p>The moments are computed scale-free ({@link ScaledMoments}): each group is scaled by a power of two that brings
 * its largest magnitude into [1, 2) before its mean and deviation are taken (the batch whitening does the same over
 * the centred rewards of the whole batch), so with ε = 0 the advantages of {@code c · r} equal those of {@code r}
 * for every c &gt; 0 (bit for bit when c is a power of two), from rewards of 1e-300 to 1e308: {1e160, 0, 0, 0}
 * gives 1.5 like {1, 0, 0, 0}, where an unscaled variance overflows. FLOAT rewards are read into double and every
 * step is in double; only the result is rounded to FLOAT, once. What cannot be represented — a centred reward
 * beyond ±1.8e308 without std scaling, an advantage beyond the FLOAT range in a FLOAT result, a nonzero centred
 * reward over a zero deviation with ε = 0 — is an {@link AdvantageRangeException} naming the group and its
 * rewards, never ±Infinity or NaN.
 *
 * <p>Several verifiers: the advantages above are those of the weighted sum of their scores (TRL's
 * {@code sum_then_normalize}); {@link #normalizeThenSum} gives GDPO's (TRL's {@code normalize_then_sum}).
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
     *                                  positive multiple of the group size, a reward is not finite, or the
     *                                  configuration needs more than the rewards ({@code GREEDY} baseline,
     *                                  {@code NORMALIZE_THEN_SUM} aggregation)
     * @throws AdvantageRangeException  if an advantage cannot be represented in double or, for FLOAT rewards, in
     *                                  FLOAT
     */
    public static INDArray compute(INDArray rewards, GrpoConfig config) {
        return compute(rewards, null, config);
    }

    /**
     * {@link #compute(double[], double[], GrpoConfig)} on a vector, read and written directly for FLOAT and DOUBLE.
     *
     * @param rewards       {@code [N]} floating rewards, group-major
     * @param greedyRewards {@code [B]} the reward of each prompt's greedy completion for the {@code GREEDY}
     *                      baseline, else null
     * @param config        group size, baseline, scaling and ε
     * @return {@code [N]} advantages, a new array in the rewards' data type
     * @throws IllegalArgumentException as {@link #compute(double[], double[], GrpoConfig)}, or if {@code rewards}
     *                                  is not a floating vector
     * @throws AdvantageRangeException  if an advantage cannot be represented in double or, for FLOAT rewards, in
     *                                  FLOAT
     */
    public static INDArray compute(INDArray rewards, double[] greedyRewards, GrpoConfig config) {
        Checks.notNull("rewards", rewards);
        Checks.notNull("config", config);
        ObjectiveChecks.checkVector("rewards", rewards, -1);
        double[] r = DirectElements.vector(rewards);
        double[] a = compute(r, greedyRewards, config);
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
     * @throws IllegalArgumentException if N is not a positive multiple of the group size, a reward is not finite,
     *                                  or the configuration needs more than the rewards: the {@code GREEDY}
     *                                  baseline needs {@link #compute(double[], double[], GrpoConfig)},
     *                                  {@code NORMALIZE_THEN_SUM} needs {@link #normalizeThenSum}
     * @throws AdvantageRangeException  if an advantage exceeds the double range (only possible with
     *                                  {@code advantageScaling = NONE} and rewards beyond ±9e307, or a
     *                                  {@code GREEDY} baseline)
     */
    public static double[] compute(double[] rewards, GrpoConfig config) {
        return compute(rewards, null, config);
    }

    /**
     * Computes the advantages of a group-major batch of rewards, with the greedy rewards the {@code GREEDY}
     * (ReMax) baseline needs.
     *
     * @param rewards       N rewards, group-major ({@code [g*G, (g+1)*G)} is group g)
     * @param greedyRewards B = N / G rewards, {@code greedyRewards[g]} that of prompt g's greedy completion, when
     *                      {@code advantageBaseline = GREEDY}; null otherwise
     * @param config        group size, baseline, scaling and ε
     * @return N finite advantages
     * @throws IllegalArgumentException if an argument other than {@code greedyRewards} is null, N is not a positive
     *                                  multiple of the group size, a reward is not finite, {@code greedyRewards}
     *                                  is null for {@code GREEDY}, given for another baseline, of another length
     *                                  than B or not finite, or {@code rewardAggregation = NORMALIZE_THEN_SUM}
     *                                  (which needs {@link #normalizeThenSum})
     * @throws AdvantageRangeException  if an advantage exceeds the double range
     */
    public static double[] compute(double[] rewards, double[] greedyRewards, GrpoConfig config) {
        Checks.notNull("rewards", rewards);
        Checks.notNull("config", config);
        int g = config.groupSize();
        checkRewards(rewards, g);
        if (config.rewardAggregation() == RewardAggregation.NORMALIZE_THEN_SUM) {
            throw new IllegalArgumentException("rewardAggregation NORMALIZE_THEN_SUM (GDPO) normalises each "
                    + "verifier's scores, which a total reward does not hold: compute the advantages with "
                    + "Advantages.normalizeThenSum and pass them in the ObjectiveInput");
        }
        AdvantageBaseline baseline = config.advantageBaseline();
        checkGreedy(greedyRewards, rewards.length / g, baseline);
        int n = rewards.length;
        int ddof = config.advantageStd().ddof();
        double eps = config.advantageEpsilon();
        AdvantageScaling scaling = config.advantageScaling();
        boolean groupBaseline = baseline == AdvantageBaseline.GROUP_MEAN || baseline == AdvantageBaseline.LEAVE_ONE_OUT;
        // the batch deviation, as scaled value and exponent: s_batch = batchStd · 2^batchExp
        int batchExp = 0;
        double batchStd = 1;
        if (scaling == AdvantageScaling.BATCH_STD) {
            batchExp = ScaledMoments.exponent(rewards, 0, n);
            double[] y = ScaledMoments.scaled(rewards, 0, n, batchExp);
            batchStd = ScaledMoments.std(y, ScaledMoments.mean(y), ddof);
        }
        // pass 1: the centred rewards c_i = centred[i] · 2^exps[group], and each group's deviation in those units
        double[] centred = new double[n];
        int[] exps = new int[n / g];
        double[] groupStd = new double[n / g];
        for (int start = 0; start < n; start += g) {
            int q = start / g;
            if (groupBaseline && allEqual(rewards, start, g)) {
                continue; // exactly 0, not a rounding residue of r - mean(r)
            }
            int e = ScaledMoments.exponent(rewards, start, g);
            if (baseline == AdvantageBaseline.GREEDY) {                  // the scale of the group and its baseline
                double[] both = Arrays.copyOfRange(rewards, start, start + g + 1);
                both[g] = greedyRewards[q];
                e = ScaledMoments.exponent(both, 0, g + 1);
            }
            double[] y = ScaledMoments.scaled(rewards, start, g, e);      // r · 2^-e, max |y| in [1, 2)
            double mean = ScaledMoments.mean(y);
            exps[q] = e;
            groupStd[q] = scaling == AdvantageScaling.GROUP_STD ? ScaledMoments.std(y, mean, ddof) : 0;
            for (int k = 0; k < g; k++) {
                centred[start + k] = switch (baseline) {
                    case GROUP_MEAN -> y[k] - mean;
                    // r_k − (Σr − r_k)/(G−1) = G/(G−1) · (r_k − mean)
                    case LEAVE_ONE_OUT -> (y[k] - mean) * g / (g - 1);
                    case NONE -> y[k];
                    case GREEDY -> y[k] - Math.scalb(greedyRewards[q], -e);
                };
            }
        }
        // BATCH_WHITEN: the centred rewards of the whole batch in one scale, z_i = c_i · 2^-whitenExp
        int whitenExp = 0;
        double whitenMean = 0;
        double whitenStd = 0;
        double[] z = null;
        if (scaling == AdvantageScaling.BATCH_WHITEN) {
            whitenExp = Integer.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                if (centred[i] != 0) {
                    whitenExp = Math.max(whitenExp, exps[i / g] + Math.getExponent(centred[i]));
                }
            }
            whitenExp = whitenExp == Integer.MIN_VALUE ? 0 : whitenExp;
            z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = Math.scalb(centred[i], exps[i / g] - whitenExp);
            }
            if (allEqual(z, 0, n)) {
                return new double[n];                                     // nothing to whiten: exactly 0
            }
            // with a group baseline every group's centred rewards sum to 0: the batch mean is 0 exactly
            whitenMean = groupBaseline ? 0 : ScaledMoments.mean(z);
            whitenStd = ScaledMoments.std(z, whitenMean, ddof);
        }
        double[] adv = new double[n];
        for (int i = 0; i < n; i++) {
            int q = i / g;
            int e = exps[q];
            double d = centred[i];
            double a = switch (scaling) {
                case GROUP_STD -> d == 0 ? 0 : ScaledMoments.quotient(d, e, groupStd[q], e, eps);
                case BATCH_STD -> d == 0 ? 0 : ScaledMoments.quotient(d, e, batchStd, batchExp, eps);
                case BATCH_WHITEN -> {
                    double dz = z[i] - whitenMean;
                    yield dz == 0 ? 0 : ScaledMoments.quotient(dz, whitenExp, whitenStd, whitenExp, eps);
                }
                case NONE -> Math.scalb(d, e);
            };
            if (!Double.isFinite(a)) {
                int start = q * g;
                throw new AdvantageRangeException(q, Arrays.copyOfRange(rewards, start, start + g),
                        "A[" + i + "] = " + a + " exceeds the double range (advantageBaseline " + baseline
                                + (greedyRewards != null ? " with greedy reward " + greedyRewards[q] : "")
                                + ", advantageScaling " + scaling + ", advantageEpsilon " + eps + ")");
            }
            adv[i] = a;
        }
        return adv;
    }

    /**
     * GDPO's advantages of several verifiers' scores (TRL {@code multi_objective_aggregation="normalize_then_sum"}):
     * each verifier's scores are normalised in each group over the completions it scored,
     * {@code n_k,i = (s_k,i − mean_k) / (std_k + ε)} (exactly 0 when the scores it gave in the group are all equal
     * or it scored fewer than two of them, where TRL's NaN-aware moments also give nothing); the weighted sum over
     * the verifiers that scored the completion, {@code x_i = Σ_k w_k · n_k,i} (0 when none did, TRL's
     * {@code nansum}), is then whitened over the batch, {@code A_i = (x_i − mean(x)) / (std(x) + ε)}, where
     * {@code mean(x)} is 0 in exact arithmetic (each verifier's normalised scores sum to 0 over the completions it
     * scored in a group) and is taken as exactly 0, so a completion with {@code x_i = 0} gets exactly 0 (TRL
     * subtracts a computed mean and leaves a rounding residue of order 1e-16 there). Both deviations are as {@link GrpoConfig#advantageStd()} says, both ε are
     * {@link GrpoConfig#advantageEpsilon()}.
     *
     * @param scores  {@code [K][N]} each verifier's scores, group-major; a score where the verifier abstained is
     *                ignored
     * @param scored  {@code [K][N]} whether verifier k scored completion i; null when every verifier scored every
     *                completion
     * @param weights {@code [K]} the verifiers' weights, finite
     * @param config  group size, ε and deviation; {@code rewardAggregation} is not consulted
     * @return N finite advantages
     * @throws IllegalArgumentException if an argument other than {@code scored} is null, K is 0, the shapes differ,
     *                                  N is not a positive multiple of the group size, or a weight or a used score
     *                                  is not finite
     * @throws AdvantageRangeException  if a weighted sum exceeds the double range
     */
    public static double[] normalizeThenSum(double[][] scores, boolean[][] scored, double[] weights,
                                            GrpoConfig config) {
        Checks.notNull("scores", scores);
        Checks.notNull("weights", weights);
        Checks.notNull("config", config);
        int k = scores.length;
        if (k == 0 || weights.length != k || (scored != null && scored.length != k)) {
            throw new IllegalArgumentException("scores (" + k + " verifiers), weights (" + weights.length + ")"
                    + (scored != null ? " and scored (" + scored.length + ")" : "") + " must have one row per "
                    + "verifier, at least one");
        }
        int g = config.groupSize();
        int n = Checks.notNull("scores[0]", scores[0]).length;
        if (n == 0 || n % g != 0) {
            throw new IllegalArgumentException("batch of " + n + " scores must be a positive whole number of groups "
                    + "of groupSize " + g);
        }
        int ddof = config.advantageStd().ddof();
        double eps = config.advantageEpsilon();
        double[] sum = new double[n];
        for (int j = 0; j < k; j++) {
            Checks.finite("weights[" + j + "]", weights[j]);
            double[] s = Checks.notNull("scores[" + j + "]", scores[j]);
            boolean[] m = scored == null ? null : Checks.notNull("scored[" + j + "]", scored[j]);
            if (s.length != n || (m != null && m.length != n)) {
                throw new IllegalArgumentException("scores[" + j + "] length (" + s.length + ")"
                        + (m != null ? " and scored[" + j + "] length (" + m.length + ")" : "") + " must equal N ("
                        + n + ")");
            }
            for (int start = 0; start < n; start += g) {
                int count = 0;
                for (int i = start; i < start + g; i++) {
                    if (m == null || m[i]) {
                        Checks.finite("scores[" + j + "][" + i + "]", s[i]);
                        count++;
                    }
                }
                double[] x = new double[count];
                int[] at = new int[count];
                for (int i = start, c = 0; i < start + g; i++) {
                    if (m == null || m[i]) {
                        at[c] = i;
                        x[c++] = s[i];
                    }
                }
                if (count < 2 || allEqual(x, 0, count)) {
                    continue;                                             // contributes exactly 0
                }
                int e = ScaledMoments.exponent(x, 0, count);
                double[] y = ScaledMoments.scaled(x, 0, count, e);
                double mean = ScaledMoments.mean(y);
                double std = ScaledMoments.std(y, mean, ddof);
                for (int c = 0; c < count; c++) {
                    double d = y[c] - mean;
                    if (d != 0) {
                        sum[at[c]] += weights[j] * ScaledMoments.quotient(d, e, std, e, eps);
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(sum[i])) {
                int start = i / g * g;
                throw new AdvantageRangeException(i / g, Arrays.copyOfRange(sum, start, start + g),
                        "the weighted sum of normalised scores x[" + i + "] = " + sum[i] + " exceeds the double "
                                + "range (weights " + Arrays.toString(weights) + ")");
            }
        }
        double[] adv = new double[n];
        if (allEqual(sum, 0, n)) {
            return adv;
        }
        int e = ScaledMoments.exponent(sum, 0, n);
        double[] y = ScaledMoments.scaled(sum, 0, n, e);
        // each verifier's normalised scores sum to 0 over the completions it scored in a group, so mean(x) is 0 in
        // exact arithmetic: taken as exactly 0, a group whose verifiers gave equal scores keeps exactly 0
        double std = ScaledMoments.std(y, 0, ddof);
        for (int i = 0; i < n; i++) {
            adv[i] = y[i] == 0 ? 0 : ScaledMoments.quotient(y[i], e, std, e, eps);
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

    private static void checkGreedy(double[] greedyRewards, int groups, AdvantageBaseline baseline) {
        if (baseline != AdvantageBaseline.GREEDY) {
            if (greedyRewards != null) {
                throw new IllegalArgumentException("greedyRewards are the GREEDY (ReMax) baseline's; they must be "
                        + "null for advantageBaseline " + baseline + ", were " + Arrays.toString(greedyRewards));
            }
            return;
        }
        if (greedyRewards == null) {
            throw new IllegalArgumentException("advantageBaseline GREEDY (ReMax) needs the reward of each prompt's "
                    + "greedy completion: compute the advantages with Advantages.compute(rewards, greedyRewards, "
                    + "config) and pass them in the ObjectiveInput");
        }
        if (greedyRewards.length != groups) {
            throw new IllegalArgumentException("greedyRewards length (" + greedyRewards.length + ") must equal the "
                    + "number of groups (" + groups + ")");
        }
        for (int q = 0; q < groups; q++) {
            Checks.finite("greedyRewards[" + q + "]", greedyRewards[q]);
        }
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
