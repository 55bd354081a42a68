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

    /**
     * Every one of the 432 {@link ConfigVariant}s combined with each of six corrections (TIS token, MIS sequence,
     * verl geometric truncate, off-policy mask with the KL correction, entropy mask with a bonus, and all of them
     * at once) agrees with the reference on each generated batch (FLOAT inputs; for β = 0, every other variant
     * drops logpRef).
     *
     * @param c the batch; its numbers are kept, its variant and corrections replaced
     */
    @Property(tries = 1)
    default void correctionsMatchReferenceForEveryVariant(@ForAll("fullCorrectedCases") CorrectedCase c) {
        ConfigNumbers numbers = ConfigNumbers.of(c.config());
        org.grpo4j.correction.EntropyControl noEntropy = org.grpo4j.correction.EntropyControl.off();
        RolloutCorrection all = new RolloutCorrection(org.grpo4j.correction.CorrectionMode.MASK,
                org.grpo4j.correction.CorrectionLevel.SEQUENCE, 2, 0.5, 0.05, true);
        List<Object[]> corrections = List.of(
                new Object[] {RolloutCorrection.trl(org.grpo4j.correction.CorrectionMode.TRUNCATE,
                        org.grpo4j.correction.CorrectionLevel.TOKEN, 2), noEntropy},
                new Object[] {RolloutCorrection.trl(org.grpo4j.correction.CorrectionMode.MASK,
                        org.grpo4j.correction.CorrectionLevel.SEQUENCE, 3), noEntropy},
                new Object[] {RolloutCorrection.verl(org.grpo4j.correction.CorrectionMode.TRUNCATE,
                        org.grpo4j.correction.CorrectionLevel.GEOMETRIC, 1.25), noEntropy},
                new Object[] {RolloutCorrection.off().withOffPolicyMask(0.05).withKlCorrection(true), noEntropy},
                new Object[] {RolloutCorrection.off(), new org.grpo4j.correction.EntropyControl(0.5, 0.05)},
                new Object[] {all, new org.grpo4j.correction.EntropyControl(0.2, 1)});
        List<String> failures = new ArrayList<>();
        List<ConfigVariant> variants = ConfigVariant.all();
        for (int k = 0; k < variants.size() && failures.size() < 5; k++) {
            ConfigVariant v = variants.get(k);
            for (Object[] corr : corrections) {
                org.grpo4j.GrpoConfig config = v.config(numbers).toBuilder()
                        .rolloutCorrection((RolloutCorrection) corr[0])
                        .entropyControl((org.grpo4j.correction.EntropyControl) corr[1]).build();
                CorrectedCase vc = c.withConfig(config);
                if (!v.positiveBeta() && k % 2 == 1) {
                    vc = new CorrectedCase(vc.base().withLogpRef(null), vc.logpSampling(), vc.entropies());
                }
                ObjectiveResult actual = objective().evaluate(vc.toInput(DataType.FLOAT), config);
                List<String> errors = disagreements(actual, vc, DataType.FLOAT);
                if (!errors.isEmpty() && failures.size() < 5) {
                    failures.add(v + " with " + corr[0] + ", " + corr[1] + ": " + errors.get(0));
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> "variants disagreeing with the reference:\n  "
                + String.join("\n  ", failures) + "\n" + c);
    }

    private void assertMatches(CorrectedCase c, DataType type) {
        ObjectiveResult actual = objective().evaluate(c.toInput(type), c.config());
        List<String> errors = disagreements(actual, c, type);
        assertTrue(errors.isEmpty(), () -> type + " inputs: " + String.join("\n", errors) + "\n" + c);
    }

    /**
     * The disagreements of a result with the reference of its case: loss, gradient, advantages and metrics, the
     * corrections' metrics and the entropy gradient, with {@link ResultComparison#withCovarianceTieFallback}.
     */
    private static List<String> disagreements(ObjectiveResult actual, CorrectedCase c, DataType type) {
        return ResultComparison.withCovarianceTieFallback(actual, c.config(), c.base().advantages(),
                a -> compareOnce(actual, a == null ? c : c.withAdvantages(a), type));
    }

    private static List<String> compareOnce(ObjectiveResult actual, CorrectedCase c, DataType type) {
        ReferenceGrpoObjective.Result expected = c.reference();
        List<String> errors = new ArrayList<>(ResultComparison.compare(actual, expected, c.base(),
                Tolerance.of(type)));
        errors.addAll(CorrectionLaws.compareMetrics(actual.correction(), expected.correction(),
                type == DataType.FLOAT ? 1e-5 : 1e-12));
        errors.addAll(CorrectionLaws.compareEntropyGradient(actual, expected, type == DataType.FLOAT ? 1e-6 : 1e-14));
        return errors;
    }
}
