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
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * "Finite results" under the per-token corrections, part of {@link FiniteResultsLaws}: with extreme inputs
 * ({@link ExtremeArbitraries}) and extreme sampler log-probabilities and entropies, every correction gives a
 * finite loss, gradient, metrics and correction metrics that agree with the reference, or rejects a β or an
 * advantage too large for the corrected terms ({@code docs/objective.md}, "Finite results") with a message saying
 * so.
 */
public interface CorrectionFiniteResultsLaws {

    /**
     * The objective under test.
     *
     * @return the objective
     */
    GrpoObjective objective();

    /** @return any rollout correction */
    @Provide
    default Arbitrary<RolloutCorrection> anyCorrection() {
        return CorrectionArbitraries.corrections();
    }

    /** @return any entropy control */
    @Provide
    default Arbitrary<EntropyControl> anyEntropyControl() {
        return CorrectionArbitraries.entropyControls();
    }

    /**
     * Extreme inputs with corrections: finite and equal to the reference, or rejected for their magnitude.
     *
     * @param c    an extreme case
     * @param rc   the rollout correction
     * @param ec   the entropy control
     * @param type FLOAT or DOUBLE
     */
    @Property(tries = 200)
    default void correctedResultsAreFiniteOnExtremeInputs(@ForAll("extremeCases") ObjectiveCase c,
                                                          @ForAll("anyCorrection") RolloutCorrection rc,
                                                          @ForAll("anyEntropyControl") EntropyControl ec,
                                                          @ForAll("dataTypes") DataType type) {
        GrpoConfig config = c.config().toBuilder().rolloutCorrection(rc).entropyControl(ec).build();
        int n = c.n();
        int t = c.t();
        // the sampler: another extreme array of the case (reference or new log-probabilities, rows reversed)
        double[][] source = c.logpRef() != null ? c.logpRef() : c.logpNew();
        double[][] sampling = new double[n][];
        double[][] entropies = new double[n][t];
        for (int i = 0; i < n; i++) {
            sampling[i] = source[n - 1 - i].clone();
            for (int j = 0; j < t; j++) {
                entropies[i][j] = Math.abs(c.logpNew()[i][j]);
            }
        }
        CorrectedCase cc = new CorrectedCase(c.withConfig(config), sampling, entropies);
        ObjectiveResult r;
        try {
            r = objective().evaluate(cc.toInput(type), config);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("too large"), e::getMessage);
            assertTrue(!e.getMessage().contains("NaN"), e::getMessage);
            Statistics.label("corrected extreme").collect("rejected for magnitude");
            return;
        }
        Statistics.label("corrected extreme").collect("evaluated");
        List<String> errors = new ArrayList<>();
        if (!Double.isFinite(r.loss())) {
            errors.add("loss = " + r.loss());
        }
        double[][] g = Matrices.toMatrix(r.gradient());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                if (!Double.isFinite(g[i][j])) {
                    errors.add("gradient[" + i + ", " + j + "] = " + g[i][j]);
                }
            }
        }
        r.metrics().asMap().forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                errors.add(k + " = " + v);
            }
        });
        r.correction().asMap().forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                errors.add(k + " = " + v);
            }
        });
        if (errors.isEmpty()) {
            ReferenceGrpoObjective.Result expected = cc.reference();
            errors.addAll(ResultComparison.compare(r, expected, cc.base(), Tolerance.of(type)));
            errors.addAll(CorrectionLaws.compareMetrics(r.correction(), expected.correction(),
                    type == DataType.FLOAT ? 1e-5 : 1e-12));
            errors.addAll(CorrectionLaws.compareEntropyGradient(r, expected, type == DataType.FLOAT ? 1e-6 : 1e-14));
        }
        assertTrue(errors.isEmpty(), () -> type + " inputs: " + String.join("\n", errors) + "\n" + cc);
    }
}
