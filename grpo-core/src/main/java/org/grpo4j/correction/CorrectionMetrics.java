package org.grpo4j.correction;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Diagnostics of the per-token corrections of one objective evaluation, named as TRL's {@code GRPOTrainer} logs
 * them where it has them. The sampling metrics are measured only when {@code logpSampling} was given and the
 * configuration reads it ({@link RolloutCorrection#usesSamplingLogProbs()}).
 *
 * @param sampled                    whether the five sampling metrics below were measured
 * @param importanceRatioMin         smallest importance weight {@code w_IS} after truncation or masking, over
 *                                   active tokens (TOKEN level) or non-empty sequences (SEQUENCE, GEOMETRIC); 0
 *                                   when there are none
 * @param importanceRatioMean        their mean
 * @param importanceRatioMax         their largest
 * @param samplingLogpDifferenceMean mean of {@code |logp_old − logp_sampling|} over active tokens
 * @param samplingLogpDifferenceMax  its largest value
 * @param offPolicyMaskedFraction    share of non-empty sequences the off-policy sequence mask removed (0 when off)
 * @param entropyMaskedFraction      share of active tokens the entropy mask removed (0 when off)
 * @param entropyBonus               {@code coef · Σ w H}, what the entropy bonus subtracted from the loss (0 when off)
 */
public record CorrectionMetrics(boolean sampled, double importanceRatioMin, double importanceRatioMean,
                                double importanceRatioMax, double samplingLogpDifferenceMean,
                                double samplingLogpDifferenceMax, double offPolicyMaskedFraction,
                                double entropyMaskedFraction, double entropyBonus) {

    private static final CorrectionMetrics NONE = new CorrectionMetrics(false, 0, 0, 0, 0, 0, 0, 0, 0);

    /** @return the metrics of an evaluation without corrections */
    public static CorrectionMetrics none() {
        return NONE;
    }

    /**
     * The metrics by name: {@code sampling/importance_sampling_ratio/{min,mean,max}} and
     * {@code sampling/sampling_logp_difference/{mean,max}} when {@link #sampled()}, then
     * {@code sampling/off_policy_masked_fraction}, {@code entropy/masked_fraction} and
     * {@code loss/entropy_bonus}.
     *
     * @return the metrics in a stable order
     */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (sampled) {
            m.put("sampling/importance_sampling_ratio/min", importanceRatioMin);
            m.put("sampling/importance_sampling_ratio/mean", importanceRatioMean);
            m.put("sampling/importance_sampling_ratio/max", importanceRatioMax);
            m.put("sampling/sampling_logp_difference/mean", samplingLogpDifferenceMean);
            m.put("sampling/sampling_logp_difference/max", samplingLogpDifferenceMax);
        }
        m.put("sampling/off_policy_masked_fraction", offPolicyMaskedFraction);
        m.put("entropy/masked_fraction", entropyMaskedFraction);
        m.put("loss/entropy_bonus", entropyBonus);
        return m;
    }
}
