package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.StdEstimator;
import org.grpo4j.testing.ObjectiveArbitraries;
import org.grpo4j.testing.ObjectiveCase;
import org.grpo4j.testing.ReferenceGrpoObjective;
import org.grpo4j.testing.ResultComparison;
import org.grpo4j.testing.Tolerance;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Both objectives derive the new advantage estimators (no baseline, batch whitening, population deviation) from the
 * rewards and then compute the same loss, gradient and metrics as the double-precision reference objective given
 * the naive reference's advantages ({@link AdvantageReference}): the estimator goes through the whole objective,
 * not only through {@link Advantages}.
 */
class AdvantageEstimatorObjectivesProperties {
    private static final List<GrpoObjective> OBJECTIVES = List.of(Nd4jGrpoObjective.create(),
            FusedGrpoObjective.create());

    @Provide
    Arbitrary<ObjectiveCase> cases() {
        Arbitrary<AdvantageBaseline> baselines = Arbitraries.of(AdvantageBaseline.NONE, AdvantageBaseline.GROUP_MEAN,
                AdvantageBaseline.LEAVE_ONE_OUT);
        return Combinators.combine(ObjectiveArbitraries.cases().filter(c -> c.advantages() == null), baselines,
                Arbitraries.of(AdvantageScaling.class), Arbitraries.of(StdEstimator.class)).as((c, b, s, d) -> {
                    GrpoConfig config = c.config().toBuilder().advantageBaseline(b).advantageScaling(s)
                            .advantageStd(d).build();
                    return c.withConfig(config);
                }).filter(c -> c.config().advantageBaseline() == AdvantageBaseline.NONE
                || c.config().advantageScaling() == AdvantageScaling.BATCH_WHITEN
                || c.config().advantageStd() == StdEstimator.POPULATION);
    }

    private static void check(ObjectiveCase c, DataType type) {
        double[] adv = AdvantageReference.advantages(c.rewards(), null, c.config());
        Statistics.label("baseline").collect(c.config().advantageBaseline());
        Statistics.label("scaling").collect(c.config().advantageScaling());
        Statistics.label("std").collect(c.config().advantageStd());
        if (java.util.Arrays.stream(adv).anyMatch(a -> !Double.isFinite(a))) {
            // a nonzero reward over a zero deviation with ε = 0 (no baseline, all-equal group): not representable
            for (GrpoObjective objective : OBJECTIVES) {
                org.junit.jupiter.api.Assertions.assertThrows(AdvantageRangeException.class,
                        () -> objective.evaluate(c.toInput(type), c.config()));
            }
            return;
        }
        ReferenceGrpoObjective.Result expected = c.withAdvantages(adv).reference();
        for (GrpoObjective objective : OBJECTIVES) {
            ObjectiveResult actual = objective.evaluate(c.toInput(type), c.config());
            List<String> errors = ResultComparison.compare(actual, expected, c.withAdvantages(adv),
                    Tolerance.of(type));
            assertTrue(errors.isEmpty(), objective.getClass().getSimpleName() + " " + type + ": " + errors + "\n" + c);
        }
    }

    @Property(tries = 150)
    void derivedNewEstimatorsMatchTheReferenceWithDoubleInputs(@ForAll("cases") ObjectiveCase c) {
        check(c, DataType.DOUBLE);
    }

    @Property(tries = 150)
    void derivedNewEstimatorsMatchTheReferenceWithFloatInputs(@ForAll("cases") ObjectiveCase c) {
        check(c, DataType.FLOAT);
    }
}
