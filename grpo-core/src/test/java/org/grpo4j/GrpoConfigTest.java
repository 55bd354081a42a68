package org.grpo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link GrpoConfig}: every validation rule (the message names the field and the value), the presets of
 * {@code docs/objective.md}, and the builder round trip ({@code GrpoConfigProperties} does it for random
 * configurations).
 */
class GrpoConfigTest {

    private static GrpoConfig.Builder b() {
        return GrpoConfig.builder();
    }

    private static void assertRejected(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ validation

    @Test
    void groupSizeOfOneIsRejected() {
        assertRejected(() -> b().groupSize(1).build(), "groupSize", "1");
    }

    @Test
    void groupSizeOfZeroIsRejected() {
        assertRejected(() -> b().groupSize(0).build(), "groupSize", "0");
    }

    @Test
    void negativeAdvantageEpsilonIsRejected() {
        assertRejected(() -> b().advantageEpsilon(-1e-3).build(), "advantageEpsilon", "-0.001");
    }

    @Test
    void nanAdvantageEpsilonIsRejected() {
        assertRejected(() -> b().advantageEpsilon(Double.NaN).build(), "advantageEpsilon", "NaN");
    }

    @Test
    void infiniteAdvantageEpsilonIsRejected() {
        assertRejected(() -> b().advantageEpsilon(Double.POSITIVE_INFINITY).build(), "advantageEpsilon",
                "Infinity");
    }

    @Test
    void negativeEpsilonLowIsRejected() {
        assertRejected(() -> b().epsilonLow(-0.1).build(), "epsilonLow", "-0.1");
    }

    @Test
    void epsilonLowOfOneIsRejected() {
        assertRejected(() -> b().epsilonLow(1.0).build(), "epsilonLow", "1.0");
    }

    @Test
    void epsilonLowAboveOneIsRejected() {
        assertRejected(() -> b().epsilonLow(1.5).build(), "epsilonLow", "1.5");
    }

    @Test
    void nanEpsilonLowIsRejected() {
        assertRejected(() -> b().epsilonLow(Double.NaN).build(), "epsilonLow", "NaN");
    }

    @Test
    void negativeEpsilonHighIsRejected() {
        assertRejected(() -> b().epsilonHigh(-0.2).build(), "epsilonHigh", "-0.2");
    }

    @Test
    void infiniteEpsilonHighIsRejected() {
        assertRejected(() -> b().epsilonHigh(Double.POSITIVE_INFINITY).build(), "epsilonHigh", "Infinity");
    }

    @Test
    void nanBetaIsRejected() {
        assertRejected(() -> b().beta(Double.NaN).build(), "beta", "NaN");
    }

    @Test
    void negativeBetaIsRejected() {
        assertRejected(() -> b().beta(-0.01).build(), "beta", "-0.01");
    }

    @Test
    void infiniteBetaIsRejected() {
        assertRejected(() -> b().beta(Double.POSITIVE_INFINITY).build(), "beta", "Infinity");
    }

    @Test
    void dualClipEqualToOnePlusEpsilonHighIsRejected() {
        assertRejected(() -> b().epsilonHigh(0.2).dualClip(1.2).build(), "dualClip", "1.2");
    }

    @Test
    void dualClipBelowOnePlusEpsilonHighIsRejected() {
        assertRejected(() -> b().epsilonHigh(0.28).dualClip(1.1).build(), "dualClip", "1.1", "1.28");
    }

    @Test
    void nanDualClipIsRejected() {
        assertRejected(() -> b().dualClip(Double.NaN).build(), "dualClip", "NaN");
    }

    @Test
    void negativeInfiniteDualClipIsRejected() {
        assertRejected(() -> b().dualClip(Double.NEGATIVE_INFINITY).build(), "dualClip", "-Infinity");
    }

    @Test
    void nullAdvantageBaselineIsRejected() {
        assertRejected(() -> b().advantageBaseline(null).build(), "advantageBaseline");
    }

    @Test
    void nullAdvantageScalingIsRejected() {
        assertRejected(() -> b().advantageScaling(null).build(), "advantageScaling");
    }

    @Test
    void nullImportanceLevelIsRejected() {
        assertRejected(() -> b().importanceLevel(null).build(), "importanceLevel");
    }

    @Test
    void nullKlEstimatorIsRejected() {
        assertRejected(() -> b().klEstimator(null).build(), "klEstimator");
    }

    @Test
    void nullLossAggregationIsRejected() {
        assertRejected(() -> b().lossAggregation(null).build(), "lossAggregation");
    }

    @Test
    void maxCompletionLengthOfZeroIsRejected() {
        assertRejected(() -> b().maxCompletionLength(0).build(), "maxCompletionLength", "0");
    }

    @Test
    void boundaryValuesAreAccepted() {
        GrpoConfig c = b().groupSize(2).advantageEpsilon(0).epsilonLow(0).epsilonHigh(0).beta(0)
                .dualClip(Math.nextUp(1.0)).maxCompletionLength(1).build();
        assertTrue(c.dualClipEnabled());
        assertEquals(0.0, c.epsilonLow());
        assertEquals(Math.nextDown(1.0), b().epsilonLow(Math.nextDown(1.0)).build().epsilonLow());
    }

    // --------------------------------------------------------------------------------------------- presets

    @Test
    void defaultsAreGrpoAsDocumented() {
        GrpoConfig c = GrpoConfig.defaults();
        assertEquals(GrpoConfig.grpo(), c);
        assertEquals(8, c.groupSize());
        assertEquals(AdvantageBaseline.GROUP_MEAN, c.advantageBaseline());
        assertEquals(AdvantageScaling.GROUP_STD, c.advantageScaling());
        assertEquals(1e-4, c.advantageEpsilon());
        assertEquals(ImportanceLevel.TOKEN, c.importanceLevel());
        assertEquals(0.2, c.epsilonLow());
        assertEquals(0.2, c.epsilonHigh());
        assertEquals(Double.POSITIVE_INFINITY, c.dualClip());
        assertFalse(c.dualClipEnabled());
        assertEquals(KlEstimator.K3, c.klEstimator());
        assertEquals(0.04, c.beta());
        assertEquals(LossAggregation.SEQUENCE_MEAN_TOKEN_MEAN, c.lossAggregation());
        assertEquals(256, c.maxCompletionLength());
    }

    @Test
    void drGrpoPresetChangesScalingAggregationAndBetaOnly() {
        assertEquals(GrpoConfig.grpo().toBuilder().advantageScaling(AdvantageScaling.NONE)
                .lossAggregation(LossAggregation.CONSTANT_NORMALIZER).beta(0).build(), GrpoConfig.drGrpo());
    }

    @Test
    void dapoPresetChangesClipHigherAggregationAndBetaOnly() {
        GrpoConfig c = GrpoConfig.dapo();
        assertEquals(0.2, c.epsilonLow());
        assertEquals(0.28, c.epsilonHigh());
        assertEquals(GrpoConfig.grpo().toBuilder().epsilonHigh(0.28).lossAggregation(LossAggregation.TOKEN_MEAN)
                .beta(0).build(), c);
    }

    @Test
    void gspoPresetChangesImportanceLevelClipRangeAndBetaOnly() {
        assertEquals(GrpoConfig.grpo().toBuilder().importanceLevel(ImportanceLevel.SEQUENCE).epsilonLow(3e-4)
                .epsilonHigh(4e-4).beta(0).build(), GrpoConfig.gspo());
    }

    // ---------------------------------------------------------------------------------------- round trip

    @Test
    void presetsSurviveToBuilderRoundTrip() {
        for (GrpoConfig c : new GrpoConfig[] {GrpoConfig.grpo(), GrpoConfig.drGrpo(), GrpoConfig.dapo(),
                GrpoConfig.gspo()}) {
            assertEquals(c, c.toBuilder().build());
        }
    }
}
