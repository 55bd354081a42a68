package org.grpo4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Diagnostics of one objective evaluation. Token averages are over active (mask = 1) tokens and are 0 when there
 * are none. Names in {@link #asMap()} follow TRL's {@code GRPOTrainer} where it has them.
 *
 * @param loss               the scalar loss (policy part + β · KL part)
 * @param policyLoss         the aggregated clipped surrogate alone
 * @param klLoss             the aggregated KL estimator alone (not multiplied by β); 0 without a reference
 * @param meanKl             token mean of the KL estimator; 0 without a reference
 * @param meanRatio          token mean of the importance ratio
 * @param clipFractionLow    fraction of tokens with ratio &lt; 1 − ε_low and a negative advantage (GMPO: log-ratio
 *                           &lt; −ε_low; 0 for CISPO, SAPO, GPG, VESPO and KL-Cov, which have no lower clip)
 * @param clipFractionHigh   fraction of tokens with ratio &gt; 1 + ε_high and a positive advantage (GMPO: log-ratio
 *                           &gt; ε_high; CISPO: ratio &gt; ε_max, TRL's {@code cispo_clip_ratio}; 0 for SAPO, GPG,
 *                           VESPO and KL-Cov)
 * @param clipFractionRegion fraction of tokens clipped low or high
 * @param dualClipFraction   fraction of tokens whose loss the dual clip capped
 * @param rewardMean         mean reward over the batch
 * @param rewardStd          sample standard deviation of the rewards over the batch
 * @param fracZeroStdGroups  fraction of groups whose rewards are all equal (their advantages are exactly 0)
 * @param activeTokens       number of tokens with mask 1
 * @param covSelectedFraction fraction of tokens KL-Cov penalised or Clip-Cov cut off (verl's {@code pg_clipfrac} of
 *                           {@code clip_cov}); 0 for the other losses
 */
public record ObjectiveMetrics(double loss, double policyLoss, double klLoss, double meanKl, double meanRatio,
                               double clipFractionLow, double clipFractionHigh, double clipFractionRegion,
                               double dualClipFraction, double rewardMean, double rewardStd,
                               double fracZeroStdGroups, long activeTokens, double covSelectedFraction) {

    /**
     * The metrics of a loss that selects no tokens by covariance ({@code covSelectedFraction = 0}).
     *
     * @param loss               see the record
     * @param policyLoss         see the record
     * @param klLoss             see the record
     * @param meanKl             see the record
     * @param meanRatio          see the record
     * @param clipFractionLow    see the record
     * @param clipFractionHigh   see the record
     * @param clipFractionRegion see the record
     * @param dualClipFraction   see the record
     * @param rewardMean         see the record
     * @param rewardStd          see the record
     * @param fracZeroStdGroups  see the record
     * @param activeTokens       see the record
     */
    public ObjectiveMetrics(double loss, double policyLoss, double klLoss, double meanKl, double meanRatio,
                            double clipFractionLow, double clipFractionHigh, double clipFractionRegion,
                            double dualClipFraction, double rewardMean, double rewardStd,
                            double fracZeroStdGroups, long activeTokens) {
        this(loss, policyLoss, klLoss, meanKl, meanRatio, clipFractionLow, clipFractionHigh, clipFractionRegion,
                dualClipFraction, rewardMean, rewardStd, fracZeroStdGroups, activeTokens, 0);
    }

    /** @return the metrics keyed by TRL-style names, in a stable order */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("loss/policy", policyLoss);
        m.put("loss/kl", klLoss);
        m.put("kl", meanKl);
        m.put("ratio/mean", meanRatio);
        m.put("clip_ratio/low_mean", clipFractionLow);
        m.put("clip_ratio/high_mean", clipFractionHigh);
        m.put("clip_ratio/region_mean", clipFractionRegion);
        m.put("clip_ratio/dual", dualClipFraction);
        m.put("reward", rewardMean);
        m.put("reward_std", rewardStd);
        m.put("frac_reward_zero_std", fracZeroStdGroups);
        m.put("num_tokens", (double) activeTokens);
        m.put("cov/selected_fraction", covSelectedFraction);
        return m;
    }
}
