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
 * @param clipFractionLow    fraction of tokens with ratio &lt; 1 − ε_low and a negative advantage
 * @param clipFractionHigh   fraction of tokens with ratio &gt; 1 + ε_high and a positive advantage
 * @param clipFractionRegion fraction of tokens clipped low or high
 * @param dualClipFraction   fraction of tokens whose loss the dual clip capped
 * @param rewardMean         mean reward over the batch
 * @param rewardStd          sample standard deviation of the rewards over the batch
 * @param fracZeroStdGroups  fraction of groups whose rewards are all equal (their advantages are exactly 0)
 * @param activeTokens       number of tokens with mask 1
 */
public record ObjectiveMetrics(double loss, double policyLoss, double klLoss, double meanKl, double meanRatio,
                               double clipFractionLow, double clipFractionHigh, double clipFractionRegion,
                               double dualClipFraction, double rewardMean, double rewardStd,
                               double fracZeroStdGroups, long activeTokens) {

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
        return m;
    }
}
