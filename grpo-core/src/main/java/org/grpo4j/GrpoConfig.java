package org.grpo4j;

import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;

/**
 * The immutable configuration of the GRPO objective: which advantage, importance ratio, clipping, KL term and loss
 * aggregation to use. Every mainstream GRPO variant is a combination of these fields; {@link #grpo()},
 * {@link #drGrpo()}, {@link #dapo()}, {@link #gspo()}, {@link #trlDefaults()}, {@link #cispo()}, {@link #sapo()},
 * {@link #gmpo()}, {@link #luspo()} and {@link #reinforcePlusPlus()} give the published ones.
 *
 * <p>Defaults ({@link #defaults()}, the same as {@link #grpo()}) and their sources:
 * <ul>
 *   <li>{@code groupSize = 8}: TRL {@code num_generations}.</li>
 *   <li>{@code advantageBaseline = GROUP_MEAN}, {@code advantageScaling = GROUP_STD}: GRPO (Shao et al. 2024,
 *       DeepSeekMath, eq. 3).</li>
 *   <li>{@code advantageEpsilon = 1e-4}: TRL's {@code (std + 1e-4)} denominator.</li>
 *   <li>{@code importanceLevel = TOKEN}: PPO / GRPO.</li>
 *   <li>{@code epsilonLow = epsilonHigh = 0.2}: PPO (Schulman et al. 2017), TRL {@code epsilon}.</li>
 *   <li>{@code dualClip = +Infinity} (off): dual-clip PPO (Ye et al. 2020) is opt-in, verl uses 3.0.</li>
 *   <li>{@code klEstimator = K3}, {@code beta = 0.04}: GRPO (Shao et al. 2024). TRL now defaults to
 *       {@code beta = 0}; the KL-regularised objective is this library's subject, so it is on by default.</li>
 *   <li>{@code lossAggregation = SEQUENCE_MEAN_TOKEN_MEAN}: GRPO (Shao et al. 2024, eq. 3).</li>
 *   <li>{@code maxCompletionLength = 256}: TRL {@code max_completion_length}; the normaliser of
 *       {@link LossAggregation#CONSTANT_NORMALIZER} and the largest token dimension the objective accepts.</li>
 *   <li>{@code policyLoss = CLIPPED}: PPO / GRPO; the parameters of the other losses default as
 *       {@link PolicyLossParameters#defaults()} says.</li>
 *   <li>{@code fullyMaskedRows = EXCLUDED}: this library's choice (a masked-away sequence does not shrink the
 *       loss); TRL's is {@link FullyMaskedRows#COUNTED}.</li>
 *   <li>{@code rolloutCorrection = RolloutCorrection.off()}, {@code entropyControl = EntropyControl.off()}: no
 *       per-token correction (see those types for their sources); the numbers are those of the fields above.</li>
 *   <li>{@code advantageStd = SAMPLE}: the n&minus;1 deviation of {@code torch.std}, as TRL and verl use.</li>
 *   <li>{@code rewardAggregation = SUM_THEN_NORMALIZE}: TRL's {@code multi_objective_aggregation} default.</li>
 * </ul>
 *
 * <p>{@link #toString()} is the record's form, except that the components after {@code maxCompletionLength} are written only when they
 * differ from the defaults, so that the text of a configuration that does not use them (and a checkpoint's record
 * of it) is what it was before they existed.
 *
 * @param groupSize           G, completions per prompt; at least 2
 * @param advantageBaseline   the baseline subtracted from each reward
 * @param advantageScaling    what the centred reward is divided by
 * @param advantageEpsilon    added to the standard deviation in the denominator; finite, ≥ 0
 * @param importanceLevel     token ratios (PPO/GRPO) or one ratio per sequence (GSPO)
 * @param epsilonLow          the ratio is clipped below at {@code 1 - epsilonLow}; in [0, 1)
 * @param epsilonHigh         the ratio is clipped above at {@code 1 + epsilonHigh}; finite, ≥ 0 (DAPO's
 *                            "clip-higher" sets it above {@code epsilonLow})
 * @param dualClip            dual-clip constant c: for negative advantages the token loss is capped at
 *                            {@code -c * A}; {@code +Infinity} turns it off; otherwise {@code c > 1 + epsilonHigh}
 * @param klEstimator         estimator of KL(pi || pi_ref) per token
 * @param beta                KL weight; finite, ≥ 0; 0 means no reference log-probs are needed
 * @param lossAggregation     reduction of token losses to the scalar loss
 * @param maxCompletionLength the constant length of {@link LossAggregation#CONSTANT_NORMALIZER}; at least 1
 * @param policyLoss          the token surrogate; the losses other than CLIPPED and SAPO/CISPO need TOKEN
 *                            ratios, and the dual clip belongs to CLIPPED alone
 * @param policyLossParameters the numbers of the non-default losses
 * @param fullyMaskedRows     whether a sequence mean counts fully masked sequences
 * @param rolloutCorrection   importance-sampling correction of the sampler's rollouts, DeepSeek-V3.2's off-policy
 *                            sequence mask and unbiased KL estimate
 * @param entropyControl      entropy-based token selection (TRL {@code top_entropy_quantile})
 * @param advantageStd        sample (n&minus;1) or population (n) standard deviation in every std scaling
 * @param rewardAggregation   how several verifiers' scores become advantages; {@code NORMALIZE_THEN_SUM} needs
 *                            {@code advantageBaseline = GROUP_MEAN} and {@code advantageScaling = GROUP_STD}
 */
public record GrpoConfig(
        int groupSize,
        AdvantageBaseline advantageBaseline,
        AdvantageScaling advantageScaling,
        double advantageEpsilon,
        ImportanceLevel importanceLevel,
        double epsilonLow,
        double epsilonHigh,
        double dualClip,
        KlEstimator klEstimator,
        double beta,
        LossAggregation lossAggregation,
        int maxCompletionLength,
        PolicyLoss policyLoss,
        PolicyLossParameters policyLossParameters,
        FullyMaskedRows fullyMaskedRows,
        RolloutCorrection rolloutCorrection,
        EntropyControl entropyControl,
        StdEstimator advantageStd,
        RewardAggregation rewardAggregation) {

    /**
     * Validates every field and the rules between fields.
     *
     * @throws IllegalArgumentException naming the field and its value when a rule is broken
     */
    public GrpoConfig {
        Checks.atLeast("groupSize", groupSize, 2);
        Checks.notNull("advantageBaseline", advantageBaseline);
        Checks.notNull("advantageScaling", advantageScaling);
        Checks.nonNegative("advantageEpsilon", advantageEpsilon);
        Checks.notNull("importanceLevel", importanceLevel);
        Checks.nonNegative("epsilonLow", epsilonLow);
        if (!(epsilonLow < 1)) {
            throw new IllegalArgumentException("epsilonLow must be < 1 so that the lower clip bound 1 - epsilonLow "
                    + "is positive, was " + epsilonLow);
        }
        Checks.nonNegative("epsilonHigh", epsilonHigh);
        if (!(dualClip > 1 + epsilonHigh)) {
            throw new IllegalArgumentException("dualClip (" + dualClip + ") must be > 1 + epsilonHigh (" + (1 + epsilonHigh)
                    + ") or +Infinity to turn it off");
        }
        Checks.notNull("klEstimator", klEstimator);
        Checks.nonNegative("beta", beta);
        Checks.notNull("lossAggregation", lossAggregation);
        Checks.atLeast("maxCompletionLength", maxCompletionLength, 1);
        Checks.notNull("policyLoss", policyLoss);
        Checks.notNull("policyLossParameters", policyLossParameters);
        Checks.notNull("fullyMaskedRows", fullyMaskedRows);
        if (importanceLevel == ImportanceLevel.SEQUENCE && !policyLoss.supportsSequenceLevel()) {
            throw new IllegalArgumentException("policyLoss " + policyLoss + " forms its own ratio from token "
                    + "ratios, so importanceLevel must be TOKEN, was SEQUENCE");
        }
        if (dualClip != Double.POSITIVE_INFINITY && policyLoss != PolicyLoss.CLIPPED) {
            throw new IllegalArgumentException("dualClip (" + dualClip + ") applies to policyLoss CLIPPED only, "
                    + "policyLoss was " + policyLoss + "; leave dualClip at +Infinity");
        }
        Checks.notNull("rolloutCorrection", rolloutCorrection);
        Checks.notNull("entropyControl", entropyControl);
        Checks.notNull("advantageStd", advantageStd);
        Checks.notNull("rewardAggregation", rewardAggregation);
        if (rewardAggregation == RewardAggregation.NORMALIZE_THEN_SUM
                && (advantageBaseline != AdvantageBaseline.GROUP_MEAN
                || advantageScaling != AdvantageScaling.GROUP_STD)) {
            throw new IllegalArgumentException("rewardAggregation NORMALIZE_THEN_SUM (GDPO) normalises each verifier "
                    + "by its group mean and std, so it needs advantageBaseline GROUP_MEAN and advantageScaling "
                    + "GROUP_STD, was advantageBaseline " + advantageBaseline + " and advantageScaling "
                    + advantageScaling);
        }
    }

    /**
     * The defaults listed in the class comment (GRPO as in DeepSeekMath).
     *
     * @return the default configuration
     */
    public static GrpoConfig defaults() {
        return new Builder().build();
    }

    /**
     * GRPO (Shao et al. 2024): group-mean baseline, group-std scaling, token ratios clipped at 0.2, k3 KL with
     * β = 0.04, sequence-mean of token means.
     *
     * @return the GRPO configuration
     */
    public static GrpoConfig grpo() {
        return defaults();
    }

    /**
     * Dr. GRPO (Liu et al. 2025): no std scaling, constant-normaliser aggregation, β = 0.
     *
     * @return the Dr. GRPO configuration
     */
    public static GrpoConfig drGrpo() {
        return builder().advantageScaling(AdvantageScaling.NONE)
                .lossAggregation(LossAggregation.CONSTANT_NORMALIZER).beta(0).build();
    }

    /**
     * DAPO (Yu et al. 2025): clip-higher (ε_low 0.2, ε_high 0.28), token-mean aggregation, β = 0. Dynamic sampling,
     * DAPO's other ingredient, belongs to the group sampler.
     *
     * @return the DAPO configuration
     */
    public static GrpoConfig dapo() {
        return builder().epsilonLow(0.2).epsilonHigh(0.28)
                .lossAggregation(LossAggregation.TOKEN_MEAN).beta(0).build();
    }

    /**
     * GSPO (Zheng et al. 2025): sequence-level ratios clipped at ε_low = 3e-4, ε_high = 4e-4, β = 0 (TRL's
     * recommended GSPO settings).
     *
     * @return the GSPO configuration
     */
    public static GrpoConfig gspo() {
        return builder().importanceLevel(ImportanceLevel.SEQUENCE).epsilonLow(3e-4).epsilonHigh(4e-4).beta(0)
                .build();
    }

    /**
     * TRL's {@code GRPOConfig()} defaults (TRL 1.x): {@code loss_type="dapo"} (token-mean aggregation), β = 0,
     * {@code epsilon = 0.2} with {@code epsilon_high} unset (so 0.2 too), {@code scale_rewards="group"},
     * {@code num_generations = 8}, {@code max_completion_length = 256}, token ratios, TRL's 1e-4 in the
     * denominator, and TRL's counting of fully masked sequences. TRL's DAPO normaliser is the number of active
     * tokens of the whole accumulated batch; with one step per batch on one process that is this batch's.
     *
     * @return the TRL-default configuration
     */
    public static GrpoConfig trlDefaults() {
        return builder().lossAggregation(LossAggregation.TOKEN_MEAN).beta(0).epsilonLow(0.2).epsilonHigh(0.2)
                .fullyMaskedRows(FullyMaskedRows.COUNTED).build();
    }

    /**
     * CISPO (MiniMax-M1, arXiv:2506.13585) as TRL runs it: {@code loss_type="cispo"}, the weight capped at
     * ε_max = 5 (ScaleRL, arXiv:2510.13786, the value TRL recommends for {@code epsilon_high} with CISPO),
     * token-mean aggregation, β = 0.
     *
     * @return the CISPO configuration
     */
    public static GrpoConfig cispo() {
        return builder().policyLoss(PolicyLoss.CISPO).lossAggregation(LossAggregation.TOKEN_MEAN).beta(0)
                .fullyMaskedRows(FullyMaskedRows.COUNTED).build();
    }

    /**
     * SAPO (Soft Adaptive Policy Optimization, arXiv:2511.20347) as TRL runs it: {@code loss_type="sapo"},
     * temperatures τ_pos = 1.0 and τ_neg = 1.05 (TRL's defaults), the sequence mean of token means with every
     * sequence counted (TRL aggregates "sapo" as "grpo"), β = 0.
     *
     * @return the SAPO configuration
     */
    public static GrpoConfig sapo() {
        return builder().policyLoss(PolicyLoss.SAPO).beta(0).fullyMaskedRows(FullyMaskedRows.COUNTED).build();
    }

    /**
     * GMPO (Geometric-Mean Policy Optimization, arXiv:2507.20673): the geometric mean of the token ratios with
     * each log-ratio clipped to (−0.4, 0.4), the paper's range (e^−0.4, e^0.4), as verl's {@code geo_mean} reads it
     * from {@code clip_ratio_low/high}; the mean over all sequences (verl's {@code torch.mean} of the sequence
     * losses, so fully masked sequences are counted); β = 0.
     *
     * @return the GMPO configuration
     */
    public static GrpoConfig gmpo() {
        return builder().policyLoss(PolicyLoss.GMPO).epsilonLow(0.4).epsilonHigh(0.4).beta(0)
                .fullyMaskedRows(FullyMaskedRows.COUNTED).build();
    }

    /**
     * LUSPO (Length-Unbiased Sequence Policy Optimization, arXiv:2602.05261) as TRL runs it:
     * {@code loss_type="luspo"} with {@code importance_sampling_level="sequence"}: GSPO's sequence ratio and
     * clip range (3e-4, 4e-4), each sequence's loss scaled by its length (the sequence mean of token sums, every
     * sequence counted), β = 0.
     *
     * @return the LUSPO configuration
     */
    public static GrpoConfig luspo() {
        return gspo().toBuilder().lossAggregation(LossAggregation.SEQUENCE_MEAN_TOKEN_SUM)
                .fullyMaskedRows(FullyMaskedRows.COUNTED).build();
    }

    /**
     * REINFORCE++ (Hu 2025, "REINFORCE++: A Simple and Efficient Approach for Aligning Large Language Models",
     * arXiv:2501.03262), as verl's {@code adv_estimator=reinforce_plus_plus} computes it for outcome rewards: no group
     * baseline, the rewards whitened over the batch ({@code NONE} baseline, {@code BATCH_WHITEN} scaling); the
     * rest as {@link #grpo()}. {@code toBuilder().advantageBaseline(GROUP_MEAN)} gives verl's
     * {@code reinforce_plus_plus_baseline} (REINFORCE++-baseline).
     *
     * @return the REINFORCE++ configuration
     */
    public static GrpoConfig reinforcePlusPlus() {
        return builder().advantageBaseline(AdvantageBaseline.NONE).advantageScaling(AdvantageScaling.BATCH_WHITEN)
                .build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's values.
     *
     * @return a new builder initialised from this record
     */
    public Builder toBuilder() {
        return new Builder().groupSize(groupSize).advantageBaseline(advantageBaseline)
                .advantageScaling(advantageScaling).advantageEpsilon(advantageEpsilon)
                .importanceLevel(importanceLevel).epsilonLow(epsilonLow).epsilonHigh(epsilonHigh)
                .dualClip(dualClip).klEstimator(klEstimator).beta(beta).lossAggregation(lossAggregation)
                .maxCompletionLength(maxCompletionLength).policyLoss(policyLoss)
                .policyLossParameters(policyLossParameters).fullyMaskedRows(fullyMaskedRows)
                .rolloutCorrection(rolloutCorrection).entropyControl(entropyControl)
                .advantageStd(advantageStd).rewardAggregation(rewardAggregation);
    }

    /**
     * The record's text, {@code GrpoConfig[groupSize=8, …, maxCompletionLength=256]}, with
     * the components after {@code maxCompletionLength} appended only where they
     * differ from their defaults (see the class comment).
     *
     * @return the text
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("GrpoConfig[groupSize=").append(groupSize)
                .append(", advantageBaseline=").append(advantageBaseline)
                .append(", advantageScaling=").append(advantageScaling)
                .append(", advantageEpsilon=").append(advantageEpsilon)
                .append(", importanceLevel=").append(importanceLevel)
                .append(", epsilonLow=").append(epsilonLow)
                .append(", epsilonHigh=").append(epsilonHigh)
                .append(", dualClip=").append(dualClip)
                .append(", klEstimator=").append(klEstimator)
                .append(", beta=").append(beta)
                .append(", lossAggregation=").append(lossAggregation)
                .append(", maxCompletionLength=").append(maxCompletionLength);
        if (policyLoss != PolicyLoss.CLIPPED) {
            b.append(", policyLoss=").append(policyLoss);
        }
        if (!policyLossParameters.equals(PolicyLossParameters.defaults())) {
            b.append(", policyLossParameters=").append(policyLossParameters);
        }
        if (fullyMaskedRows != FullyMaskedRows.EXCLUDED) {
            b.append(", fullyMaskedRows=").append(fullyMaskedRows);
        }
        if (!rolloutCorrection.equals(RolloutCorrection.off())) {
            b.append(", rolloutCorrection=").append(rolloutCorrection);
        }
        if (!entropyControl.equals(EntropyControl.off())) {
            b.append(", entropyControl=").append(entropyControl);
        }
        if (advantageStd != StdEstimator.SAMPLE) {
            b.append(", advantageStd=").append(advantageStd);
        }
        if (rewardAggregation != RewardAggregation.SUM_THEN_NORMALIZE) {
            b.append(", rewardAggregation=").append(rewardAggregation);
        }
        return b.append(']').toString();
    }

    /**
     * Whether the dual clip is on ({@code dualClip} finite).
     *
     * @return {@code true} if negative-advantage token losses are capped at {@code -dualClip * A}
     */
    public boolean dualClipEnabled() {
        return dualClip != Double.POSITIVE_INFINITY;
    }

    /**
     * Builder for {@link GrpoConfig}; starts from the defaults and validates on {@link #build()}.
     */
    public static final class Builder {
        private int groupSize = 8;
        private AdvantageBaseline advantageBaseline = AdvantageBaseline.GROUP_MEAN;
        private AdvantageScaling advantageScaling = AdvantageScaling.GROUP_STD;
        private double advantageEpsilon = 1e-4;
        private ImportanceLevel importanceLevel = ImportanceLevel.TOKEN;
        private double epsilonLow = 0.2;
        private double epsilonHigh = 0.2;
        private double dualClip = Double.POSITIVE_INFINITY;
        private KlEstimator klEstimator = KlEstimator.K3;
        private double beta = 0.04;
        private LossAggregation lossAggregation = LossAggregation.SEQUENCE_MEAN_TOKEN_MEAN;
        private int maxCompletionLength = 256;
        private PolicyLoss policyLoss = PolicyLoss.CLIPPED;
        private PolicyLossParameters policyLossParameters = PolicyLossParameters.defaults();
        private FullyMaskedRows fullyMaskedRows = FullyMaskedRows.EXCLUDED;
        private RolloutCorrection rolloutCorrection = RolloutCorrection.off();
        private EntropyControl entropyControl = EntropyControl.off();
        private StdEstimator advantageStd = StdEstimator.SAMPLE;
        private RewardAggregation rewardAggregation = RewardAggregation.SUM_THEN_NORMALIZE;

        private Builder() {
        }

        /** @param v G, see {@link GrpoConfig#groupSize()} @return this builder */
        public Builder groupSize(int v) {
            groupSize = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#advantageBaseline()} @return this builder */
        public Builder advantageBaseline(AdvantageBaseline v) {
            advantageBaseline = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#advantageScaling()} @return this builder */
        public Builder advantageScaling(AdvantageScaling v) {
            advantageScaling = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#advantageEpsilon()} @return this builder */
        public Builder advantageEpsilon(double v) {
            advantageEpsilon = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#importanceLevel()} @return this builder */
        public Builder importanceLevel(ImportanceLevel v) {
            importanceLevel = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#epsilonLow()} @return this builder */
        public Builder epsilonLow(double v) {
            epsilonLow = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#epsilonHigh()} @return this builder */
        public Builder epsilonHigh(double v) {
            epsilonHigh = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#dualClip()} @return this builder */
        public Builder dualClip(double v) {
            dualClip = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#klEstimator()} @return this builder */
        public Builder klEstimator(KlEstimator v) {
            klEstimator = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#beta()} @return this builder */
        public Builder beta(double v) {
            beta = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#lossAggregation()} @return this builder */
        public Builder lossAggregation(LossAggregation v) {
            lossAggregation = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#maxCompletionLength()} @return this builder */
        public Builder maxCompletionLength(int v) {
            maxCompletionLength = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#rolloutCorrection()} @return this builder */
        public Builder rolloutCorrection(RolloutCorrection v) {
            rolloutCorrection = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#entropyControl()} @return this builder */
        public Builder entropyControl(EntropyControl v) {
            entropyControl = v;
            return this;
        }

        /**
         * TRL's {@code delta}, the INTELLECT-2 two-sided clip (arXiv:2505.07291): for A &lt; 0 the ratio is capped
         * at δ, so the token loss at {@code −δ A}. For δ &gt; 1 + ε_high (TRL's recommendation) this is exactly the
         * dual clip with {@code c = δ} (docs/objective.md, section 3), so it sets {@link #dualClip}.
         *
         * @param delta δ &gt; 1 + epsilonHigh, or +Infinity for off
         * @return this builder
         */
        public Builder twoSidedClip(double delta) {
            return dualClip(delta);
        }

        /** @param v see {@link GrpoConfig#policyLoss()} @return this builder */
        public Builder policyLoss(PolicyLoss v) {
            policyLoss = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#policyLossParameters()} @return this builder */
        public Builder policyLossParameters(PolicyLossParameters v) {
            policyLossParameters = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#fullyMaskedRows()} @return this builder */
        public Builder fullyMaskedRows(FullyMaskedRows v) {
            fullyMaskedRows = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#advantageStd()} @return this builder */
        public Builder advantageStd(StdEstimator v) {
            advantageStd = v;
            return this;
        }

        /** @param v see {@link GrpoConfig#rewardAggregation()} @return this builder */
        public Builder rewardAggregation(RewardAggregation v) {
            rewardAggregation = v;
            return this;
        }

        /**
         * Builds and validates the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a field or a rule between fields is violated
         */
        public GrpoConfig build() {
            return new GrpoConfig(groupSize, advantageBaseline, advantageScaling, advantageEpsilon, importanceLevel,
                    epsilonLow, epsilonHigh, dualClip, klEstimator, beta, lossAggregation, maxCompletionLength,
                    policyLoss, policyLossParameters, fullyMaskedRows, rolloutCorrection,
                    entropyControl, advantageStd, rewardAggregation);
        }
    }
}
