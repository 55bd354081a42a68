package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveResult;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The property suite of a {@link org.grpo4j.GrpoObjective}: everything {@link GrpoObjectiveLaws} checks (finite
 * differences, advantages, on-policy, masks, trust region, no mutation) plus (a), agreement with the
 * double-precision {@link ReferenceGrpoObjective} on random batches for every option combination, the per-token
 * corrections included ({@link CorrectionContract}).
 *
 * <p>To run it on your objective, implement {@link #objective()}:
 * <pre>{@code
 * class MyObjectiveProperties implements GrpoObjectiveContract {
 *     public GrpoObjective objective() { return new MyObjective(); }
 * }
 * }</pre>
 *
 * <p>Tolerance of (a): with FLOAT inputs every returned number must satisfy
 * {@code |x − x_ref| ≤ 1e-4·|x_ref| + 1e-5·scale} ({@link Tolerance#FLOAT}), with DOUBLE inputs
 * {@code 1e-9·|x_ref| + 1e-11·scale}, where the scale is {@code Σ w|l|} for the loss and its parts, the largest
 * gradient entry for gradient entries, the largest advantage for advantages, the largest ratio/KL/reward for the
 * corresponding means. Masked gradient entries must be exactly 0; {@code activeTokens} and
 * {@code frac_reward_zero_std} must be exact; the clip fractions may differ by the share of tokens whose ratio lies
 * within 1e-5 of a kink, whose gradient entries are not compared (see {@link ResultComparison}).
 */
public interface GrpoObjectiveContract extends GrpoObjectiveLaws, CorrectionContract {

    /**
     * (a) FLOAT inputs: loss, gradient, advantages and metrics agree with the reference, for random cases (all
     * variants, optional logpOld/logpRef absent, precomputed advantages sometimes).
     *
     * @param c the case
     */
    @Property(tries = 200)
    default void matchesReferenceWithFloatInputs(@ForAll("cases") ObjectiveCase c) {
        assertMatchesReference(c, DataType.FLOAT);
        ConfigVariant v = ConfigVariant.of(c.config());
        Statistics.label("importance").collect(v.importance());
        Statistics.label("dual clip, beta > 0").collect(v.dualClip(), v.positiveBeta());
        Statistics.label("logpOld, logpRef, advantages given").collect(c.logpOld() != null, c.logpRef() != null,
                c.advantages() != null);
    }

    /**
     * (a) DOUBLE inputs: the same agreement with a tolerance of 1e-9.
     *
     * @param c the case
     */
    @Property(tries = 100)
    default void matchesReferenceWithDoubleInputs(@ForAll("cases") ObjectiveCase c) {
        assertMatchesReference(c, DataType.DOUBLE);
    }

    /**
     * (a) Every one of the 828 {@link ConfigVariant#suite()} variants (the 432 classic ones: baseline × scaling ×
     * importance level × KL estimator × aggregation × dual clip on/off × β zero/positive; and every policy loss ×
     * importance level × KL estimator × aggregation × masked-row counting × β with GROUP_MEAN/GROUP_STD advantages)
     * agrees with the reference on each generated batch (FLOAT inputs; for β = 0, every other variant drops
     * logpRef).
     *
     * @param c the batch; its numbers (G, ε, …) are kept, its variant replaced
     */
    @Property(tries = 3)
    default void matchesReferenceForEveryVariant(@ForAll("fullCases") ObjectiveCase c) {
        ConfigNumbers numbers = ConfigNumbers.of(c.config());
        List<ConfigVariant> variants = ConfigVariant.suite();
        List<String> failures = new ArrayList<>();
        for (int k = 0; k < variants.size() && failures.size() < 5; k++) {
            ConfigVariant v = variants.get(k);
            GrpoConfig config = v.config(numbers);
            ObjectiveCase vc = c.withConfig(config);
            if (!v.positiveBeta() && k % 2 == 1) {
                vc = vc.withLogpRef(null);
            }
            List<String> errors = compare(vc, DataType.FLOAT);
            if (!errors.isEmpty()) {
                failures.add(v + ": " + errors.get(0) + (errors.size() > 1 ? " (+" + (errors.size() - 1)
                        + " more)" : ""));
            }
        }
        assertTrue(failures.isEmpty(), () -> "variants disagreeing with the reference:\n  "
                + String.join("\n  ", failures) + "\n" + c);
    }

    /** @return cases for the non-default policy losses, logpOld/logpRef absent and advantages given sometimes */
    @Provide
    default Arbitrary<ObjectiveCase> otherLossAnyCases() {
        return ObjectiveArbitraries.cases(ObjectiveArbitraries.configs(PolicyLossLaws.otherLossVariants(false)));
    }

    /**
     * (a) The policy losses other than CLIPPED (CISPO, SAPO, GMPO, GPG, VESPO, KL-Cov, Clip-Cov, with every other
     * option and masked-row counting) agree with the reference, FLOAT and DOUBLE inputs, on cases drawn for them
     * alone (the general properties above meet them only now and then).
     *
     * @param c          the case
     * @param withDouble DOUBLE inputs if true
     */
    @Property(tries = 200)
    default void otherLossesMatchTheReference(@ForAll("otherLossAnyCases") ObjectiveCase c,
                                              @ForAll boolean withDouble) {
        assertMatchesReference(c, withDouble ? DataType.DOUBLE : DataType.FLOAT);
        Statistics.label("policy loss").collect(c.config().policyLoss());
        Statistics.label("policy loss").coverage(cov -> {
            for (org.grpo4j.PolicyLoss v : org.grpo4j.PolicyLoss.values()) {
                if (v != org.grpo4j.PolicyLoss.CLIPPED) {
                    cov.check(v).percentage(p -> p >= 4);
                }
            }
        });
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private void assertMatchesReference(ObjectiveCase c, DataType type) {
        List<String> errors = compare(c, type);
        assertTrue(errors.isEmpty(), () -> type + " inputs: " + ResultComparison.describe(errors, c));
    }

    private List<String> compare(ObjectiveCase c, DataType type) {
        ObjectiveResult actual = objective().evaluate(c.toInput(type), c.config());
        return ResultComparison.compareWithReference(actual, c, Tolerance.of(type));
    }
}
