package org.grpo4j.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.KlEstimator;
import org.grpo4j.LossAggregation;

/**
 * The discrete choices of a {@link GrpoConfig}: the five option enums, whether the dual clip is on and whether β
 * is positive. {@link #all()} lists the 3 × 2 × 2 × 3 × 3 × 2 × 2 = 432 of them (the
 * {@link #SCALINGS} and {@link #BASELINES} the reference and the theory cover); combined with
 * {@link ConfigNumbers} each one is a configuration.
 *
 * @param baseline    the advantage baseline
 * @param scaling     the advantage scaling
 * @param importance  token or sequence ratios
 * @param kl          the KL estimator
 * @param aggregation the loss aggregation
 * @param dualClip    whether the dual clip is on
 * @param positiveBeta whether β &gt; 0 (the KL term is in the loss and {@code logpRef} is required)
 */
public record ConfigVariant(AdvantageBaseline baseline, AdvantageScaling scaling, ImportanceLevel importance,
                            KlEstimator kl, LossAggregation aggregation, boolean dualClip, boolean positiveBeta) {

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

    static {
        List<ConfigVariant> all = new ArrayList<>();
        for (AdvantageBaseline b : BASELINES) {
            for (AdvantageScaling s : SCALINGS) {
                for (ImportanceLevel i : ImportanceLevel.values()) {
                    for (KlEstimator k : KlEstimator.values()) {
                        for (LossAggregation a : LossAggregation.values()) {
                            for (boolean dual : new boolean[] {false, true}) {
                                for (boolean beta : new boolean[] {false, true}) {
                                    all.add(new ConfigVariant(b, s, i, k, a, dual, beta));
                                }
                            }
                        }
                    }
                }
            }
        }
        ALL = Collections.unmodifiableList(all);
    }

    /**
     * Every combination of the discrete choices.
     *
     * @return the 432 variants, in a fixed order
     */
    public static List<ConfigVariant> all() {
        return ALL;
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
                c.lossAggregation(), c.dualClipEnabled(), c.beta() > 0);
    }
}
