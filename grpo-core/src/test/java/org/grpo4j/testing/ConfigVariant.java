package org.grpo4j.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.FullyMaskedRows;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.KlEstimator;
import org.grpo4j.LossAggregation;
import org.grpo4j.PolicyLoss;

/**
 * The discrete choices of a {@link GrpoConfig}: the option enums, whether the dual clip is on and whether β
 * is positive. {@link #all()} lists every valid combination: baseline (2) × scaling (3) × KL (3) × β zero/positive
 * (2) × aggregation with the fully-masked-row choice where it matters (TOKEN_MEAN, CONSTANT_NORMALIZER, and both
 * choices for each sequence mean: 6) × policy loss with its importance level and dual clip (CLIPPED: 2 × 2, CISPO
 * and SAPO: 2 levels, the five token-only losses: 1; 13) = 2808, of which the 432 of CLIPPED with EXCLUDED rows
 * and without SEQUENCE_MEAN_TOKEN_SUM are the variants before policy losses existed. (baselines and scalings: the
 * {@link #SCALINGS} and {@link #BASELINES} the reference and the theory cover). Combined with
 * {@link ConfigNumbers} each one is a configuration.
 *
 * @param baseline    the advantage baseline
 * @param scaling     the advantage scaling
 * @param importance  token or sequence ratios
 * @param kl          the KL estimator
 * @param aggregation the loss aggregation
 * @param dualClip    whether the dual clip is on
 * @param positiveBeta whether β &gt; 0 (the KL term is in the loss and {@code logpRef} is required)
 * @param policyLoss   the policy surrogate
 * @param fullyMaskedRows whether sequence means count fully masked rows
 */
public record ConfigVariant(AdvantageBaseline baseline, AdvantageScaling scaling, ImportanceLevel importance,
                            KlEstimator kl, LossAggregation aggregation, boolean dualClip, boolean positiveBeta,
                            PolicyLoss policyLoss, FullyMaskedRows fullyMaskedRows) {

    /**
     * The baselines covered: the group baselines. {@code NONE} and {@code GREEDY} (REINFORCE++, ReMax) are
     * compared with their own reference in {@code AdvantageEstimatorsTest}; GREEDY cannot be derived from rewards
     * and the theory package covers group baselines only.
     */
    public static final List<AdvantageBaseline> BASELINES = List.of(AdvantageBaseline.GROUP_MEAN,
            AdvantageBaseline.LEAVE_ONE_OUT);
    /** The scalings covered; {@code BATCH_WHITEN} is compared in {@code AdvantageEstimatorsTest}. */
    public static final List<AdvantageScaling> SCALINGS = List.of(AdvantageScaling.GROUP_STD,
            AdvantageScaling.BATCH_STD, AdvantageScaling.NONE);

    private static final List<ConfigVariant> ALL;
    private static final List<ConfigVariant> CLASSIC;
    private static final List<ConfigVariant> SUITE;

    static {
        List<ConfigVariant> all = new ArrayList<>();
        for (AdvantageBaseline b : BASELINES) {
            for (AdvantageScaling s : SCALINGS) {
                for (ImportanceLevel i : ImportanceLevel.values()) {
                    for (KlEstimator k : KlEstimator.values()) {
                        for (LossAggregation a : LossAggregation.values()) {
                            for (boolean dual : new boolean[] {false, true}) {
                                for (boolean beta : new boolean[] {false, true}) {
                                    for (PolicyLoss loss : PolicyLoss.values()) {
                                        for (FullyMaskedRows rows : FullyMaskedRows.values()) {
                                            ConfigVariant v = new ConfigVariant(b, s, i, k, a, dual, beta, loss,
                                                    rows);
                                            if (v.valid()) {
                                                all.add(v);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        ALL = Collections.unmodifiableList(all);
        CLASSIC = ALL.stream().filter(v -> v.policyLoss == PolicyLoss.CLIPPED
                && v.fullyMaskedRows == FullyMaskedRows.EXCLUDED
                && v.aggregation != LossAggregation.SEQUENCE_MEAN_TOKEN_SUM).toList();
        SUITE = ALL.stream().filter(v -> CLASSIC.contains(v) || (v.baseline == AdvantageBaseline.GROUP_MEAN
                && v.scaling == AdvantageScaling.GROUP_STD)).toList();
    }

    /**
     * Every valid combination of the discrete choices.
     *
     * @return the 2808 variants, in a fixed order
     */
    public static List<ConfigVariant> all() {
        return ALL;
    }

    /**
     * The variants that existed before policy losses, masked-row counting and SEQUENCE_MEAN_TOKEN_SUM: CLIPPED,
     * EXCLUDED, the three older aggregations.
     *
     * @return the 432 classic variants
     */
    public static List<ConfigVariant> classic() {
        return CLASSIC;
    }

    /**
     * The variants the every-variant properties run on each batch: the 432 classic ones, and every other one with
     * the GROUP_MEAN baseline and GROUP_STD scaling (396). The advantage options act before the surrogate and the
     * aggregation (docs/objective.md, section 1 precedes sections 3 to 5), so each is crossed with every loss in
     * the random-variant properties rather than exhaustively here, which keeps the run under twice the classic one.
     *
     * @return the 828 variants, in a fixed order
     */
    public static List<ConfigVariant> suite() {
        return SUITE;
    }

    /**
     * Whether {@link GrpoConfig} accepts this combination, and it is not a duplicate: SEQUENCE ratios only for the
     * losses that support them, the dual clip only with CLIPPED, and COUNTED rows only with a sequence mean (the
     * other aggregations do not depend on it).
     *
     * @return whether the variant is listed by {@link #all()}
     */
    public boolean valid() {
        boolean sequenceMean = aggregation == LossAggregation.SEQUENCE_MEAN_TOKEN_MEAN
                || aggregation == LossAggregation.SEQUENCE_MEAN_TOKEN_SUM;
        return (importance == ImportanceLevel.TOKEN || policyLoss.supportsSequenceLevel())
                && (!dualClip || policyLoss == PolicyLoss.CLIPPED)
                && (fullyMaskedRows == FullyMaskedRows.EXCLUDED || sequenceMean);
    }

    /**
     * The configuration of this variant with the given numbers.
     *
     * @param numbers group size, ε's, dual-clip margin, β when positive, and length limit
     * @return the configuration
     */
    public GrpoConfig config(ConfigNumbers numbers) {
        return GrpoConfig.builder()
                .groupSize(numbers.groupSize())
                .advantageBaseline(baseline)
                .advantageScaling(scaling)
                .advantageEpsilon(numbers.advantageEpsilon())
                .importanceLevel(importance)
                .epsilonLow(numbers.epsilonLow())
                .epsilonHigh(numbers.epsilonHigh())
                .dualClip(dualClip ? 1 + numbers.epsilonHigh() + numbers.dualClipMargin() : Double.POSITIVE_INFINITY)
                .klEstimator(kl)
                .beta(positiveBeta ? numbers.positiveBeta() : 0)
                .lossAggregation(aggregation)
                .maxCompletionLength(numbers.maxCompletionLength())
                .policyLoss(policyLoss)
                .policyLossParameters(numbers.policyLossParameters())
                .fullyMaskedRows(fullyMaskedRows)
                .build();
    }

    /**
     * The variant of a configuration.
     *
     * @param c a configuration
     * @return its discrete choices
     */
    public static ConfigVariant of(GrpoConfig c) {
        return new ConfigVariant(c.advantageBaseline(), c.advantageScaling(), c.importanceLevel(), c.klEstimator(),
                c.lossAggregation(), c.dualClipEnabled(), c.beta() > 0, c.policyLoss(), c.fullyMaskedRows());
    }
}
