package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMode;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;
import org.grpo4j.testing.ReferenceGrpoObjective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inputs and configurations of the per-token corrections that must be rejected, with messages naming the argument
 * and the value, on {@link Nd4jGrpoObjective}, {@link FusedGrpoObjective} and the reference.
 */
class CorrectionInputsTest {
    private static final List<GrpoObjective> OBJECTIVES = List.of(Nd4jGrpoObjective.create(),
            FusedGrpoObjective.create(), ReferenceGrpoObjective.create());
    private static final GrpoConfig TIS = GrpoConfig.builder().groupSize(2)
            .rolloutCorrection(RolloutCorrection.trl(CorrectionMode.TRUNCATE, CorrectionLevel.TOKEN, 2)).build();
    private static final GrpoConfig ENTROPY = GrpoConfig.builder().groupSize(2)
            .entropyControl(EntropyControl.topQuantile(0.2)).build();

    private static INDArray mat(int rows, int cols, double v, DataType dt) {
        return Nd4j.valueArrayOf(new long[] {rows, cols}, v, dt);
    }

    private static ObjectiveInput valid() {
        DataType f = DataType.FLOAT;
        return new ObjectiveInput(Nd4j.createFromArray(1f, 0f), null, mat(2, 3, -1, f), mat(2, 3, -1.1, f),
                mat(2, 3, -0.9, f), mat(2, 3, 1, f), mat(2, 3, -1.05, f), mat(2, 3, 0.7, f));
    }

    private static void rejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void samplingLogProbsOfAnotherShapeAreRejected() {
        for (GrpoObjective o : OBJECTIVES) {
            rejected(() -> o.evaluate(valid().withLogpSampling(mat(2, 2, -1, DataType.FLOAT)), TIS),
                    "logpSampling", "[2, 2]");
        }
    }

    @Test
    void samplingLogProbsOfAnotherTypeAreRejected() {
        for (GrpoObjective o : OBJECTIVES) {
            rejected(() -> o.evaluate(valid().withLogpSampling(mat(2, 3, -1, DataType.DOUBLE)), TIS),
                    "logpSampling", "DOUBLE");
        }
    }

    @Test
    void nonFiniteSamplingLogProbIsRejected() {
        INDArray s = mat(2, 3, -1, DataType.FLOAT);
        s.putScalar(1, 2, Double.NaN);
        for (GrpoObjective o : OBJECTIVES) {
            rejected(() -> o.evaluate(valid().withLogpSampling(s), TIS), "logpSampling[1, 2]", "NaN");
        }
    }

    @Test
    void negativeEntropyIsRejected() {
        INDArray h = mat(2, 3, 0.5, DataType.FLOAT);
        h.putScalar(0, 1, -0.25);
        for (GrpoObjective o : OBJECTIVES) {
            rejected(() -> o.evaluate(valid().withEntropies(h), ENTROPY), "entropies[0, 1]", "-0.25");
        }
    }

    @Test
    void missingEntropiesAreRejectedWhenTheMaskNeedsThem() {
        for (GrpoObjective o : OBJECTIVES) {
            rejected(() -> o.evaluate(valid().withEntropies(null), ENTROPY), "entropies", "topEntropyQuantile",
                    "0.2");
        }
    }

    @Test
    void rolloutCorrectionRejectsBadBounds() {
        rejected(() -> new RolloutCorrection(CorrectionMode.TRUNCATE, CorrectionLevel.TOKEN, 0, 0,
                Double.POSITIVE_INFINITY, false), "upper", "0.0");
        rejected(() -> new RolloutCorrection(CorrectionMode.MASK, CorrectionLevel.TOKEN, 2, 3,
                Double.POSITIVE_INFINITY, false), "lower (3.0)", "upper (2.0)");
        rejected(() -> new RolloutCorrection(CorrectionMode.MASK, CorrectionLevel.TOKEN, 2, 0, Double.NaN, false),
                "offPolicyMaskThreshold", "NaN");
        rejected(() -> RolloutCorrection.off().withOffPolicyMask(-0.1), "offPolicyMaskThreshold", "-0.1");
        rejected(() -> new RolloutCorrection(null, CorrectionLevel.TOKEN, 2, 0, 1, false), "mode");
    }

    @Test
    void presetsRejectWhatTheirTrainerHasNot() {
        rejected(() -> RolloutCorrection.trl(CorrectionMode.OFF, CorrectionLevel.TOKEN, 2), "mode", "OFF");
        rejected(() -> RolloutCorrection.trl(CorrectionMode.MASK, CorrectionLevel.GEOMETRIC, 2), "GEOMETRIC");
        rejected(() -> RolloutCorrection.verl(CorrectionMode.MASK, CorrectionLevel.TOKEN, 0.5), "threshold", "0.5");
    }

    @Test
    void entropyQuantileOutsideTheUnitIntervalIsRejected() {
        for (double q : new double[] {0, -0.5, 1.5, Double.NaN}) {
            rejected(() -> EntropyControl.topQuantile(q), "topEntropyQuantile", String.valueOf(q));
        }
    }

    @Test
    void entropyBonusRejectsBadCoefficientsAndTargets() {
        rejected(() -> EntropyControl.bonus(1.5), "entropyCoefficient", "1.5");
        rejected(() -> EntropyControl.bonus(Double.NaN), "entropyCoefficient", "NaN");
        rejected(() -> new EntropyControl(1, 0.1, -1, 0.01), "targetEntropy", "-1.0");
        rejected(() -> new EntropyControl(1, 0.1, 1, Double.POSITIVE_INFINITY), "coefficientStep", "Infinity");
        rejected(() -> EntropyControl.adaptiveBonus(0, 1, 0), "step", "0.0");
    }

    @Test
    void entropyBonusNeedsFiniteModerateEntropies() {
        GrpoConfig bonus = GrpoConfig.builder().groupSize(2).entropyControl(EntropyControl.bonus(0.01)).build();
        INDArray huge = mat(2, 3, 1e38, DataType.FLOAT);
        for (GrpoObjective o : OBJECTIVES) {
            rejected(() -> o.evaluate(valid().withEntropies(null), bonus), "entropies", "entropyCoefficient");
            rejected(() -> o.evaluate(valid().withEntropies(huge), bonus), "entropies", "too large");
        }
    }

    @Test
    void grpoConfigRejectsNullCorrections() {
        rejected(() -> GrpoConfig.builder().rolloutCorrection(null).build(), "rolloutCorrection");
        rejected(() -> GrpoConfig.builder().entropyControl(null).build(), "entropyControl");
    }
}
