package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grpo4j.FullyMaskedRows;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.KlEstimator;
import org.grpo4j.LossAggregation;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.testing.Matrices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * "A fully masked sequence contributes nothing and divides by nothing" ({@code docs/objective.md} section 5), for
 * every {@link LossAggregation}, both importance levels, both data types and both {@link FullyMaskedRows} choices
 * (grpo4j's, and TRL's, which counts the row in a sequence mean's denominator), on a batch worked out by hand.
 *
 * <p>Two groups of two (N = 4), T = 2, maxCompletionLength = 2; mask rows {@code [1, 1], [1, 0], [1, 1], [0, 0]}
 * (row 3 fully masked, L = 2, 1, 2, 0); precomputed advantages A = (1, −1, ½, −½); on-policy (ρ = 1, nothing
 * clipped); K1 with {@code ℓ − ℓ_ref = 0.1} at every active token and β = 0.04. Every active token then has
 * {@code l = −A_i + 0.004} and {@code ∂l/∂ℓ = −A_i + β}; the sequence ratio s_i = 1 too, so both importance
 * levels give the same numbers:
 * <pre>
 * SEQUENCE_MEAN_TOKEN_MEAN  N' = 3 (row 3 not counted): w = 1/(L_i·3)
 *     loss = ⅓[(−1 + .004) + (1 + .004) + (−.5 + .004)] = (−.5 + .012)/3
 * TOKEN_MEAN                5 active tokens: w = ⅕
 *     loss = ⅕[2(−1 + .004) + (1 + .004) + 2(−.5 + .004)] = (−2 + .02)/5
 * CONSTANT_NORMALIZER       N·maxCompletionLength = 4·2 (row 3 is counted in N, as in Dr. GRPO): w = ⅛
 *     loss = (−2 + .02)/8
 * SEQUENCE_MEAN_TOKEN_SUM   N' = 3: w = ⅓ on every active token (LUSPO: a sequence weighs by its length)
 *     loss = ⅓[2(−1 + .004) + (1 + .004) + 2(−.5 + .004)] = (−2 + .02)/3
 * with COUNTED (TRL): the two sequence means divide by N = 4 instead of N' = 3:
 *     SEQUENCE_MEAN_TOKEN_MEAN w = 1/(L_i·4), loss = (−.5 + .012)/4;  SEQUENCE_MEAN_TOKEN_SUM w = ¼,
 *     loss = (−2 + .02)/4; TOKEN_MEAN and CONSTANT_NORMALIZER do not change.
 * </pre>
 * Row 3's gradient is exactly 0, and replacing its log-probabilities (with values that overflow {@code exp}
 * unless masked first) and its advantage changes nothing, bit for bit: it contributes nothing. Nothing is NaN:
 * it divides by nothing.
 */
class FullyMaskedSequenceTest {

    /** @return the objective under test; {@link FusedFullyMaskedSequenceTest} runs every case on the fused one */
    GrpoObjective objective() {
        return Nd4jGrpoObjective.create();
    }


    private static final double BETA = 0.04;
    private static final double[] A = {1, -1, 0.5, -0.5};
    private static final double[][] MASK = {{1, 1}, {1, 0}, {1, 1}, {0, 0}};
    private static final double[][] LOGP = {{-0.5, -1.25}, {-2, -0.75}, {-1.5, -3}, {-0.25, -4}};

    static Stream<Arguments> variants() {
        List<Arguments> all = new ArrayList<>();
        for (LossAggregation a : LossAggregation.values()) {
            for (ImportanceLevel level : ImportanceLevel.values()) {
                for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                    for (FullyMaskedRows rows : FullyMaskedRows.values()) {
                        all.add(Arguments.of(a, level, type, rows));
                    }
                }
            }
        }
        return all.stream();
    }

    private static GrpoConfig config(LossAggregation aggregation, ImportanceLevel level, FullyMaskedRows rows) {
        return GrpoConfig.builder().groupSize(2).importanceLevel(level).klEstimator(KlEstimator.K1).beta(BETA)
                .lossAggregation(aggregation).maxCompletionLength(2).fullyMaskedRows(rows).build();
    }

    /** The aggregation weight of an active token of row i, from the class comment. */
    private static double weight(LossAggregation aggregation, FullyMaskedRows rows, int i) {
        double[] length = {2, 1, 2, 0};
        double sequences = rows == FullyMaskedRows.COUNTED ? 4 : 3;
        return switch (aggregation) {
            case SEQUENCE_MEAN_TOKEN_MEAN -> 1 / (length[i] * sequences);
            case TOKEN_MEAN -> 1.0 / 5;
            case CONSTANT_NORMALIZER -> 1.0 / 8;
            case SEQUENCE_MEAN_TOKEN_SUM -> 1 / sequences;
        };
    }

    private static double expectedLoss(LossAggregation aggregation, FullyMaskedRows rows) {
        double sequences = rows == FullyMaskedRows.COUNTED ? 4 : 3;
        return switch (aggregation) {
            case SEQUENCE_MEAN_TOKEN_MEAN -> (-0.5 + 0.012) / sequences;
            case TOKEN_MEAN -> (-2 + 0.02) / 5;
            case CONSTANT_NORMALIZER -> (-2 + 0.02) / 8;
            case SEQUENCE_MEAN_TOKEN_SUM -> (-2 + 0.02) / sequences;
        };
    }

    private static ObjectiveInput input(double[][] logpNew, double[][] logpOld, double[][] logpRef, double[] adv,
                                        DataType type) {
        return ObjectiveInput.of(Matrices.vector(new double[] {1, 0, 1, 0}, type), Matrices.matrix(logpNew, type),
                Matrices.matrix(logpOld, type), Matrices.matrix(logpRef, type), Matrices.matrix(MASK, type))
                .withAdvantages(Matrices.vector(adv, type));
    }

    private static double[][] shifted(double[][] m, double by) {
        double[][] s = Matrices.deepCopy(m);
        for (double[] row : s) {
            for (int j = 0; j < row.length; j++) {
                row[j] += by;
            }
        }
        return s;
    }

    /**
     * The loss and gradient are the hand-computed ones; row 3 gets exactly zero gradient and every output is
     * finite.
     *
     * @param aggregation the aggregation
     * @param level       the importance level
     * @param type        the data type
     * @param rows        whether the sequence means count the fully masked row
     */
    @ParameterizedTest(name = "{0}, {1}, {2}, {3}")
    @MethodSource("variants")
    void fullyMaskedSequenceContributesNothingAndDividesByNothing(LossAggregation aggregation, ImportanceLevel level,
                                                                  DataType type, FullyMaskedRows rows) {
        double tol = type == DataType.FLOAT ? 1e-6 : 1e-12;
        ObjectiveResult r = objective().evaluate(
                input(LOGP, LOGP, shifted(LOGP, -0.1), A, type), config(aggregation, level, rows));

        assertEquals(expectedLoss(aggregation, rows), r.loss(), tol, "loss");
        double[][] g = Matrices.toMatrix(r.gradient());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                double expected = MASK[i][j] == 1 ? weight(aggregation, rows, i) * (-A[i] + BETA) : 0;
                assertEquals(expected, g[i][j], tol, "gradient[" + i + ", " + j + "]");
            }
        }
        assertArrayEquals(new double[] {0, 0}, g[3], 0.0, "gradient of the fully masked row");
        assertEquals(5, r.metrics().activeTokens());
        assertEquals(1.0, r.metrics().meanRatio(), tol, "ratio/mean over active tokens only");
        assertEquals(0.1, r.metrics().meanKl(), tol, "kl over active tokens only");
        assertTrue(Double.isFinite(r.loss()));
        for (Map.Entry<String, Double> e : r.metrics().asMap().entrySet()) {
            assertTrue(Double.isFinite(e.getValue()), e.getKey() + " = " + e.getValue());
        }
    }

    /**
     * Rewriting everything of the fully masked row (log-probabilities from −1000 to +60 whose differences overflow
     * {@code exp} in FLOAT, and its advantage) leaves loss, gradient and metrics bit for bit unchanged.
     *
     * @param aggregation the aggregation
     * @param level       the importance level
     * @param type        the data type
     * @param rows        whether the sequence means count the fully masked row
     */
    @ParameterizedTest(name = "{0}, {1}, {2}, {3}")
    @MethodSource("variants")
    void fullyMaskedSequenceChangesNothingWhateverItHolds(LossAggregation aggregation, ImportanceLevel level,
                                                          DataType type, FullyMaskedRows rows) {
        GrpoConfig c = config(aggregation, level, rows);
        ObjectiveResult base = objective().evaluate(input(LOGP, LOGP, shifted(LOGP, -0.1), A, type), c);

        double[][] logpNew = Matrices.deepCopy(LOGP);
        double[][] logpOld = Matrices.deepCopy(LOGP);
        double[][] logpRef = shifted(LOGP, -0.1);
        logpNew[3] = new double[] {60, -1000};
        logpOld[3] = new double[] {-1000, 60};
        logpRef[3] = new double[] {-1000, 60};
        double[] adv = A.clone();
        adv[3] = 1e6;
        ObjectiveResult changed = objective().evaluate(input(logpNew, logpOld, logpRef, adv, type), c);

        assertEquals(base.loss(), changed.loss(), 0.0, "loss");
        double[][] g1 = Matrices.toMatrix(base.gradient());
        double[][] g2 = Matrices.toMatrix(changed.gradient());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(g1[i], g2[i], 0.0, "gradient row " + i);
        }
        Map<String, Double> m1 = base.metrics().asMap();
        Map<String, Double> m2 = changed.metrics().asMap();
        for (String key : m1.keySet()) {
            assertEquals(m1.get(key), m2.get(key), 0.0, key);
        }
    }
}
