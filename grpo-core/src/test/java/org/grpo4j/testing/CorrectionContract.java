package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.correction.RolloutCorrection;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Agreement of an objective with the double-precision {@link ReferenceGrpoObjective} under every per-token
 * correction, combined with every other option ({@link ObjectiveArbitraries#configs()} draws all 432 variants):
 * loss, gradient, advantages and metrics under {@link Tolerance}, and the corrections' metrics. Part of
 * {@link GrpoObjectiveContract}.
 */
public interface CorrectionContract extends CorrectionLaws {

    /**
     * FLOAT inputs agree with the reference.
     *
     * @param c the case
     */
    @Property(tries = 200)
    default void correctionsMatchReferenceWithFloatInputs(@ForAll("correctedCases") CorrectedCase c) {
        assertMatches(c, DataType.FLOAT);
        RolloutCorrection rc = c.config().rolloutCorrection();
        Statistics.label("mode, level").collect(rc.mode(), rc.level());
        Statistics.label("off-policy mask, kl correction, entropy mask").collect(rc.offPolicyMaskEnabled(),
                rc.klCorrection(), c.config().entropyControl().masksTokens());
        Statistics.label("sampler given").collect(c.logpSampling() != null);
    }

    /**
     * DOUBLE inputs agree with the reference (tolerance 1e-9).
     *
     * @param c the case
     */
    @Property(tries = 100)
    default void correctionsMatchReferenceWithDoubleInputs(@ForAll("correctedCases") CorrectedCase c) {
        assertMatches(c, DataType.DOUBLE);
    }

    private void assertMatches(CorrectedCase c, DataType type) {
        ReferenceGrpoObjective.Result expected = c.reference();
        ObjectiveResult actual = objective().evaluate(c.toInput(type), c.config());
        List<String> errors = new ArrayList<>(ResultComparison.compare(actual, expected, c.base(),
                Tolerance.of(type)));
        errors.addAll(CorrectionLaws.compareMetrics(actual.correction(), expected.correction(),
                type == DataType.FLOAT ? 1e-5 : 1e-12));
        errors.addAll(CorrectionLaws.compareEntropyGradient(actual, expected, type == DataType.FLOAT ? 1e-6 : 1e-14));
        assertTrue(errors.isEmpty(), () -> type + " inputs: " + String.join("\n", errors) + "\n" + c);
    }
}
