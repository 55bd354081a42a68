package org.grpo4j.objective;

import java.util.Arrays;
import org.grpo4j.FullyMaskedRows;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMetrics;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;
import org.grpo4j.memory.DirectElements;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The detached per-token weights both objectives multiply into the loss ({@code docs/objective.md}, "Rollout
 * correction" and "Entropy masking"), computed in double in plain Java from the inputs:
 * <ul>
 *   <li>{@link #policy()}: {@code c_t = w_IS · keep · e_t}, the weight of the token's policy loss (importance
 *       weight of the rollout correction, off-policy sequence mask, entropy mask), or null when every weight is 1
 *       (no correction configured or none applies);</li>
 *   <li>{@link #klRatio()}: {@code ρ_t = exp(clamp(logp_new − logp_old))}, the token ratio that weights the KL
 *       estimator under DeepSeek-V3.2's unbiased estimate, with {@link #klRatioInside()} the clamp's derivative,
 *       or null when that correction is off.</li>
 * </ul>
 * All arrays are row-major {@code [N * T]}. Masked tokens get weight 1 (their loss is 0 anyway).
 */
final class TokenWeights {
    private static final TokenWeights NONE = new TokenWeights(null, null, null, null, CorrectionMetrics.none());

    private final double[] policy;
    private final double[] klRatio;
    private final boolean[] klRatioInside;
    private final double[] entropyGradient;
    private final CorrectionMetrics metrics;

    private TokenWeights(double[] policy, double[] klRatio, boolean[] klRatioInside, double[] entropyGradient,
                         CorrectionMetrics metrics) {
        this.policy = policy;
        this.klRatio = klRatio;
        this.klRatioInside = klRatioInside;
        this.entropyGradient = entropyGradient;
        this.metrics = metrics;
    }

    /** @return {@code [N * T]} dLoss/dH of the entropy bonus, {@code −coef · w}, or null without a bonus */
    double[] entropyGradient() {
        return entropyGradient;
    }

    /** @return {@code coef · Σ w H}, to subtract from the loss (0 without a bonus) */
    double entropyBonus() {
        return metrics.entropyBonus();
    }

    /** @return {@code [N * T]} policy-loss weights, or null when all are 1 */
    double[] policy() {
        return policy;
    }

    /** @return {@code [N * T]} KL weights {@code pi_new / pi_old}, or null without the KL correction */
    double[] klRatio() {
        return klRatio;
    }

    /** @return {@code [N * T]} whether the log-ratio of {@link #klRatio()} lay inside the clamp, or null */
    boolean[] klRatioInside() {
        return klRatioInside;
    }

    /** @return the corrections' metrics */
    CorrectionMetrics metrics() {
        return metrics;
    }

    /**
     * Checks the optional inputs the configuration needs and computes the weights.
     *
     * @param in  an input that passed {@link ObjectiveChecks#checkShapes} and {@link ObjectiveChecks#checkValues}
     * @param c   the configuration
     * @param adv {@code [N]} the advantages in use
     * @return the weights; {@link #NONE} when nothing is configured
     * @throws IllegalArgumentException if {@code logpSampling} or {@code entropies} has another shape or data type
     *                                  than {@code logpNew}, holds a non-finite value (or a negative entropy), or
     *                                  the entropies are missing while {@code entropyControl} masks tokens
     */
    static TokenWeights compute(ObjectiveInput in, GrpoConfig c, double[] adv) {
        RolloutCorrection rc = c.rolloutCorrection();
        EntropyControl ec = c.entropyControl();
        ObjectiveChecks.checkOptional(in, ec);
        boolean sampling = in.logpSampling() != null && rc.usesSamplingLogProbs();
        boolean opsmOnOld = !sampling && rc.offPolicyMaskEnabled() && in.logpOld() != null;
        if (!sampling && !opsmOnOld && !ec.needsEntropies() && !rc.klCorrection()) {
            return NONE;
        }
        int n = (int) in.logpNew().size(0);
        int t = (int) in.logpNew().size(1);
        double[] mask = all(in.mask(), n * t);
        double[] lp = all(in.logpNew(), n * t);
        double[] old = in.logpOld() == null ? lp : all(in.logpOld(), n * t);
        double[] smp = in.logpSampling() == null ? null : all(in.logpSampling(), n * t);
        double[] len = new double[n];
        long active = 0;
        int nonEmpty = 0;
        for (int i = 0; i < n; i++) {
            for (int k = i * t; k < (i + 1) * t; k++) {
                len[i] += mask[k];
            }
            active += (long) len[i];
            nonEmpty += len[i] > 0 ? 1 : 0;
        }
        double[] weight = null;
        double isMin = 0;
        double isMean = 0;
        double isMax = 0;
        double diffMean = 0;
        double diffMax = 0;
        double opsmFraction = 0;
        double entropyFraction = 0;
        if (sampling) {
            weight = new double[n * t];
            Arrays.fill(weight, 1);
            // the sampler's log-probability difference, TRL's sampling/sampling_logp_difference
            // (each difference saturates at Double.MAX_VALUE and is summed divided by the count: always finite)
            for (int k = 0; k < n * t; k++) {
                if (mask[k] == 1) {
                    double d = Math.min(Math.abs(old[k] - smp[k]), Double.MAX_VALUE);
                    diffMean += d / active;
                    diffMax = Math.max(diffMax, d);
                }
            }
            if (rc.mode() != org.grpo4j.correction.CorrectionMode.OFF) {
                double[] stats = importanceWeights(rc, mask, old, smp, len, n, t, weight);
                isMin = stats[0];
                isMean = stats[1];
                isMax = stats[2];
            }
            if (rc.offPolicyMaskEnabled()) {
                opsmFraction = offPolicyMask(rc, mask, lp, smp, len, adv, n, t, weight, nonEmpty);
            }
        } else if (opsmOnOld) {
            // no sampler's log-probabilities: the trainer's old policy is the sampling policy
            weight = new double[n * t];
            Arrays.fill(weight, 1);
            opsmFraction = offPolicyMask(rc, mask, lp, old, len, adv, n, t, weight, nonEmpty);
        }
        if (ec.masksTokens()) {
            if (weight == null) {
                weight = new double[n * t];
                Arrays.fill(weight, 1);
            }
            entropyFraction = entropyMask(ec, mask, all(in.entropies(), n * t), active, weight);
        }
        double[] klRatio = null;
        boolean[] inside = null;
        if (rc.klCorrection()) {
            klRatio = new double[n * t];
            inside = new boolean[n * t];
            for (int k = 0; k < n * t; k++) {
                double u = lp[k] - old[k];
                inside[k] = FiniteBounds.inside(u);
                klRatio[k] = mask[k] == 1 ? Math.exp(FiniteBounds.clamp(u)) : 1;
            }
        }
        double[] entropyGradient = null;
        double entropyBonus = 0;
        if (ec.hasBonus()) {
            // loss −= coef Σ w H with the aggregation weights w of the loss (verl: agg_loss of the entropy)
            double[] h = all(in.entropies(), n * t);
            entropyGradient = new double[n * t];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double w = aggregationWeight(c, len[i], active, nonEmpty, n);
                for (int k = i * t; k < (i + 1) * t; k++) {
                    if (mask[k] == 1) {
                        sum += w * h[k];
                        entropyGradient[k] = -ec.entropyCoefficient() * w;
                    }
                }
            }
            entropyBonus = ec.entropyCoefficient() * sum;
        }
        CorrectionMetrics m = new CorrectionMetrics(sampling, isMin, isMean, isMax, diffMean, diffMax, opsmFraction,
                entropyFraction, entropyBonus);
        return new TokenWeights(weight, klRatio, inside, entropyGradient, m);
    }

    /**
     * Multiplies the importance weight {@code w_IS} into {@code weight}.
     *
     * @return {min, mean, max} of the weights over active tokens (TOKEN) or non-empty sequences
     */
    private static double[] importanceWeights(RolloutCorrection rc, double[] mask, double[] old, double[] smp,
                                              double[] len, int n, int t, double[] weight) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            int from = i * t;
            if (rc.level() == CorrectionLevel.TOKEN) {
                for (int k = from; k < from + t; k++) {
                    if (mask[k] == 1) {
                        double w = bound(rc, Math.exp(FiniteBounds.clamp(old[k] - smp[k])));
                        weight[k] *= w;
                        min = Math.min(min, w);
                        max = Math.max(max, w);
                        sum += w;
                        count++;
                    }
                }
            } else if (len[i] > 0) {
                double u = rowSum(old, smp, mask, from, t, len[i]);
                if (rc.level() == CorrectionLevel.GEOMETRIC) {
                    u /= len[i];
                }
                double w = bound(rc, Math.exp(FiniteBounds.clamp(u)));
                for (int k = from; k < from + t; k++) {
                    weight[k] *= w;
                }
                min = Math.min(min, w);
                max = Math.max(max, w);
                sum += w;
                count++;
            }
        }
        return count == 0 ? new double[] {0, 0, 0} : new double[] {min, sum / count, max};
    }

    private static double aggregationWeight(GrpoConfig c, double len, long active, int nonEmpty, int n) {
        int rows = c.fullyMaskedRows() == FullyMaskedRows.COUNTED ? n : nonEmpty;
        return switch (c.lossAggregation()) {
            case SEQUENCE_MEAN_TOKEN_MEAN -> len > 0 ? 1.0 / (len * rows) : 0;
            case TOKEN_MEAN -> active > 0 ? 1.0 / active : 0;
            case CONSTANT_NORMALIZER -> 1.0 / ((double) n * c.maxCompletionLength());
            case SEQUENCE_MEAN_TOKEN_SUM -> len > 0 ? 1.0 / rows : 0;
        };
    }

    private static double bound(RolloutCorrection rc, double q) {
        return switch (rc.mode()) {
            case TRUNCATE -> Math.min(q, rc.upper());
            case MASK -> q >= rc.lower() && q <= rc.upper() ? q : 0;
            case OFF -> 1;
        };
    }

    /**
     * DeepSeek-V3.2's off-policy sequence mask: zeroes the weight of every negative-advantage sequence whose mean
     * {@code logp_behaviour − logp_new} over its active tokens exceeds δ.
     *
     * @return the share of non-empty sequences masked
     */
    private static double offPolicyMask(RolloutCorrection rc, double[] mask, double[] lp, double[] behaviour,
                                        double[] len, double[] adv, int n, int t, double[] weight, int nonEmpty) {
        int masked = 0;
        for (int i = 0; i < n; i++) {
            if (len[i] == 0 || adv[i] >= 0) {
                continue;
            }
            double kl = rowSum(behaviour, lp, mask, i * t, t, len[i]);
            if (kl / len[i] > rc.offPolicyMaskThreshold()) {
                Arrays.fill(weight, i * t, (i + 1) * t, 0);
                masked++;
            }
        }
        return nonEmpty > 0 ? (double) masked / nonEmpty : 0;
    }

    /**
     * The entropy mask: keeps the active tokens whose entropy is at least the {@code (1 − q)} quantile of the
     * active tokens' entropies (linear interpolation between order statistics, as {@code torch.quantile}); ties at
     * the threshold are all kept, so the result does not depend on the order of the tokens.
     *
     * @return the share of active tokens removed
     */
    private static double entropyMask(EntropyControl ec, double[] mask, double[] h, long active, double[] weight) {
        if (active == 0) {
            return 0;
        }
        double[] sorted = new double[(int) active];
        int j = 0;
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] == 1) {
                sorted[j++] = h[k];
            }
        }
        Arrays.sort(sorted);
        double threshold = quantile(sorted, 1 - ec.topEntropyQuantile());
        long removed = 0;
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] == 1 && !(h[k] >= threshold)) {
                weight[k] = 0;
                removed++;
            }
        }
        return (double) removed / active;
    }

    /**
     * The p-quantile of sorted values with linear interpolation ({@code torch.quantile}'s default).
     *
     * @param sorted ascending, not empty
     * @param p      in [0, 1]
     * @return {@code x[lo] + (x[hi] − x[lo]) (pos − lo)} with {@code pos = p (n − 1)}
     */
    static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    /**
     * {@code Σ_t m (a − b)} over one row, never NaN: the plain sum, or where it overflows (DOUBLE inputs near
     * ±1.8e308) the robust mean of {@link FiniteBounds#sequenceMeanLogRatio} times the length (possibly ±∞).
     */
    private static double rowSum(double[] a, double[] b, double[] mask, int from, int t, double len) {
        double sum = 0;
        for (int k = from; k < from + t; k++) {
            if (mask[k] == 1) {
                sum += a[k] - b[k];
            }
        }
        if (Double.isFinite(sum)) {
            return sum;
        }
        double mean = FiniteBounds.sequenceMeanLogRatio(Arrays.copyOfRange(a, from, from + t),
                Arrays.copyOfRange(b, from, from + t), Arrays.copyOfRange(mask, from, from + t), t, len);
        return mean * len;
    }

    private static double[] all(INDArray a, int size) {
        double[] x = new double[size];
        DirectElements.of(a).read(0, x, size);
        return x;
    }
}
