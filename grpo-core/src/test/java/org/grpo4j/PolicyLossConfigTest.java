package org.grpo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The policy-loss options of {@link GrpoConfig}: the presets' numbers, the rules between fields, the rejected
 * parameters (each message naming the field and its value), and the text form a checkpoint compares.
 */
class PolicyLossConfigTest {

    private static void rejects(Supplier<?> build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void defaultTextIsTheRecordFormWithoutTheNewComponents() {
        assertEquals("GrpoConfig[groupSize=8, advantageBaseline=GROUP_MEAN, advantageScaling=GROUP_STD, "
                + "advantageEpsilon=1.0E-4, importanceLevel=TOKEN, epsilonLow=0.2, epsilonHigh=0.2, "
                + "dualClip=Infinity, klEstimator=K3, beta=0.04, lossAggregation=SEQUENCE_MEAN_TOKEN_MEAN, "
                + "maxCompletionLength=256]", GrpoConfig.defaults().toString());
        for (GrpoConfig c : new GrpoConfig[] {GrpoConfig.grpo(), GrpoConfig.drGrpo(), GrpoConfig.dapo(),
                GrpoConfig.gspo()}) {
            assertFalse(c.toString().contains("policyLoss"), c.toString());
            assertFalse(c.toString().contains("fullyMaskedRows"), c.toString());
        }
    }

    @Test
    void nonDefaultComponentsAreAppendedToTheText() {
        assertTrue(GrpoConfig.sapo().toString().endsWith("maxCompletionLength=256, policyLoss=SAPO, "
                + "fullyMaskedRows=COUNTED]"), GrpoConfig.sapo().toString());
        GrpoConfig c = GrpoConfig.builder().policyLoss(PolicyLoss.CISPO)
                .policyLossParameters(PolicyLossParameters.defaults().withCispo(2)).build();
        assertTrue(c.toString().endsWith(", policyLoss=CISPO, policyLossParameters=PolicyLossParameters["
                + "cispoEpsilonMax=2.0, sapoTemperaturePositive=1.0, sapoTemperatureNegative=1.05, "
                + "vespoKPositive=2.0, vespoLambdaPositive=3.0, vespoKNegative=3.0, vespoLambdaNegative=2.0, "
                + "klCovRatio=2.0E-4, klCovCoefficient=1.0, clipCovRatio=2.0E-4, clipCovLower=1.0, "
                + "clipCovUpper=5.0]]"), c.toString());
    }

    @Test
    void presetsHaveTheirSourcesNumbers() {
        GrpoConfig trl = GrpoConfig.trlDefaults();
        assertEquals(LossAggregation.TOKEN_MEAN, trl.lossAggregation());
        assertEquals(0.0, trl.beta());
        assertEquals(0.2, trl.epsilonLow());
        assertEquals(0.2, trl.epsilonHigh());
        assertEquals(8, trl.groupSize());
        assertEquals(256, trl.maxCompletionLength());
        assertEquals(AdvantageScaling.GROUP_STD, trl.advantageScaling());
        assertEquals(1e-4, trl.advantageEpsilon());
        assertEquals(PolicyLoss.CLIPPED, trl.policyLoss());
        assertEquals(FullyMaskedRows.COUNTED, trl.fullyMaskedRows());

        GrpoConfig cispo = GrpoConfig.cispo();
        assertEquals(PolicyLoss.CISPO, cispo.policyLoss());
        assertEquals(5.0, cispo.policyLossParameters().cispoEpsilonMax());
        assertEquals(LossAggregation.TOKEN_MEAN, cispo.lossAggregation());
        assertEquals(0.0, cispo.beta());

        GrpoConfig sapo = GrpoConfig.sapo();
        assertEquals(PolicyLoss.SAPO, sapo.policyLoss());
        assertEquals(1.0, sapo.policyLossParameters().sapoTemperaturePositive());
        assertEquals(1.05, sapo.policyLossParameters().sapoTemperatureNegative());
        assertEquals(LossAggregation.SEQUENCE_MEAN_TOKEN_MEAN, sapo.lossAggregation());
        assertEquals(FullyMaskedRows.COUNTED, sapo.fullyMaskedRows());

        GrpoConfig gmpo = GrpoConfig.gmpo();
        assertEquals(PolicyLoss.GMPO, gmpo.policyLoss());
        assertEquals(0.4, gmpo.epsilonLow());
        assertEquals(0.4, gmpo.epsilonHigh());
        assertEquals(ImportanceLevel.TOKEN, gmpo.importanceLevel());

        GrpoConfig luspo = GrpoConfig.luspo();
        assertEquals(ImportanceLevel.SEQUENCE, luspo.importanceLevel());
        assertEquals(3e-4, luspo.epsilonLow());
        assertEquals(4e-4, luspo.epsilonHigh());
        assertEquals(LossAggregation.SEQUENCE_MEAN_TOKEN_SUM, luspo.lossAggregation());
        assertEquals(FullyMaskedRows.COUNTED, luspo.fullyMaskedRows());
        assertEquals(0.0, luspo.beta());

        for (GrpoConfig c : new GrpoConfig[] {GrpoConfig.grpo(), GrpoConfig.drGrpo(), GrpoConfig.dapo(),
                GrpoConfig.gspo()}) {
            assertEquals(PolicyLoss.CLIPPED, c.policyLoss());
            assertEquals(PolicyLossParameters.defaults(), c.policyLossParameters());
            assertEquals(FullyMaskedRows.EXCLUDED, c.fullyMaskedRows());
        }
    }

    @Test
    void parameterDefaultsAreTrlsAndVerls() {
        PolicyLossParameters p = PolicyLossParameters.defaults();
        assertEquals(5.0, p.cispoEpsilonMax());
        assertEquals(1.0, p.sapoTemperaturePositive());
        assertEquals(1.05, p.sapoTemperatureNegative());
        assertEquals(2.0, p.vespoKPositive());
        assertEquals(3.0, p.vespoLambdaPositive());
        assertEquals(3.0, p.vespoKNegative());
        assertEquals(2.0, p.vespoLambdaNegative());
        assertEquals(2e-4, p.klCovRatio());
        assertEquals(1.0, p.klCovCoefficient());
        assertEquals(2e-4, p.clipCovRatio());
        assertEquals(1.0, p.clipCovLower());
        assertEquals(5.0, p.clipCovUpper());
    }

    @Test
    void builderRoundTripsTheNewComponents() {
        GrpoConfig c = GrpoConfig.builder().policyLoss(PolicyLoss.KL_COV)
                .policyLossParameters(PolicyLossParameters.defaults().withKlCov(0.01, 2))
                .fullyMaskedRows(FullyMaskedRows.COUNTED).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.toString(), c.toBuilder().build().toString());
    }

    @Test
    void crossFieldRulesNameBothValues() {
        rejects(() -> GrpoConfig.builder().policyLoss(PolicyLoss.GMPO).importanceLevel(ImportanceLevel.SEQUENCE)
                .build(), "policyLoss GMPO", "importanceLevel must be TOKEN, was SEQUENCE");
        for (PolicyLoss loss : new PolicyLoss[] {PolicyLoss.GPG, PolicyLoss.VESPO, PolicyLoss.KL_COV,
                PolicyLoss.CLIP_COV}) {
            rejects(() -> GrpoConfig.builder().policyLoss(loss).importanceLevel(ImportanceLevel.SEQUENCE).build(),
                    "policyLoss " + loss);
        }
        for (PolicyLoss loss : new PolicyLoss[] {PolicyLoss.CISPO, PolicyLoss.SAPO}) {
            assertEquals(ImportanceLevel.SEQUENCE, GrpoConfig.builder().policyLoss(loss)
                    .importanceLevel(ImportanceLevel.SEQUENCE).build().importanceLevel());
        }
        rejects(() -> GrpoConfig.builder().policyLoss(PolicyLoss.SAPO).dualClip(3).build(), "dualClip (3.0)",
                "policyLoss was SAPO");
        rejects(() -> GrpoConfig.builder().twoSidedClip(1.1).build(), "dualClip (1.1)", "1 + epsilonHigh (1.2)");
        rejects(() -> GrpoConfig.builder().policyLoss(null).build(), "policyLoss");
        rejects(() -> GrpoConfig.builder().policyLossParameters(null).build(), "policyLossParameters");
        rejects(() -> GrpoConfig.builder().fullyMaskedRows(null).build(), "fullyMaskedRows");
    }

    @Test
    void badParametersAreRejectedNamingFieldAndValue() {
        PolicyLossParameters d = PolicyLossParameters.defaults();
        rejects(() -> d.withCispo(0.5), "cispoEpsilonMax", "0.5");
        rejects(() -> d.withCispo(Double.NaN), "cispoEpsilonMax", "NaN");
        rejects(() -> d.withCispo(1e9), "cispoEpsilonMax", "1.0E9");
        rejects(() -> d.withSapo(0, 1), "sapoTemperaturePositive", "0.0");
        rejects(() -> d.withSapo(1, -2), "sapoTemperatureNegative", "-2.0");
        rejects(() -> d.withSapo(1, Double.POSITIVE_INFINITY), "sapoTemperatureNegative", "Infinity");
        rejects(() -> d.withVespo(-1, 3, 3, 2), "vespoKPositive", "-1.0");
        rejects(() -> d.withVespo(2, 0, 3, 2), "vespoLambdaPositive", "0.0");
        rejects(() -> d.withVespo(2, 3, Double.NaN, 2), "vespoKNegative", "NaN");
        rejects(() -> d.withVespo(2, 3, 3, -1), "vespoLambdaNegative", "-1.0");
        // k = 50, λ = 0.01: the weight peaks at W = 5000, log φ = 0.01 + 50 ln 5000 − 50 ≈ 375.9 > 20
        rejects(() -> d.withVespo(50, 0.01, 3, 2), "VESPO weight", "vespoKPositive = 50.0",
                "vespoLambdaPositive = 0.01");
        rejects(() -> d.withKlCov(0, 1), "klCovRatio", "0.0");
        rejects(() -> d.withKlCov(1.5, 1), "klCovRatio", "1.5");
        rejects(() -> d.withKlCov(0.1, -1), "klCovCoefficient", "-1.0");
        rejects(() -> d.withClipCov(0, 1, 5), "clipCovRatio", "0.0");
        rejects(() -> d.withClipCov(0.1, 5, 5), "clipCovLower (5.0)", "clipCovUpper (5.0)");
        rejects(() -> d.withClipCov(0.1, Double.NEGATIVE_INFINITY, 5), "clipCovLower", "-Infinity");
    }

    @Test
    void vespoBoundIsTheMaximumOfTheLogWeight() {
        // k = 2, λ = 3: peak at W = 2/3, log φ = 3 + 2 ln(2/3) − 2 = 0.18906...
        assertEquals(3 + 2 * Math.log(2.0 / 3) - 2, PolicyLossParameters.vespoMaxLogWeight(2, 3), 1e-15);
        // k = 0: φ = e^(λ − λW) peaks at the smallest W = 1e-8
        assertEquals(1 - 1e-8, PolicyLossParameters.vespoMaxLogWeight(0, 1), 1e-15);
    }
}
