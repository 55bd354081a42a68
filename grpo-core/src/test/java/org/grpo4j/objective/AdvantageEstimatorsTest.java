package org.grpo4j.objective;

import static org.grpo4j.objective.AdvantageReference.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.RewardAggregation;
import org.grpo4j.StdEstimator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hand-computed examples of the REINFORCE++, ReMax, population-deviation and GDPO advantages, worked in the
 * comments, and their bad inputs.
 */
class AdvantageEstimatorsTest {
    private static final double SQRT3 = Math.sqrt(3);
    private static final double SQRT2 = Math.sqrt(2);

    /**
     * REINFORCE++ (no baseline, batch whitening), G = 2, ε = 0, rewards (1, 0 | 0, 0): batch mean 1/4, deviations
     * (3/4, −1/4, −1/4, −1/4), Σd² = 9/16 + 3/16 = 3/4; sample variance 3/4 / 3 = 1/4, std 1/2, so A = (1.5, −0.5,
     * −0.5, −0.5); population variance 3/4 / 4 = 3/16, std √3/4, so A = (√3, −1/√3, −1/√3, −1/√3). The all-zero
     * second group is not 0: REINFORCE++ has no group baseline.
     */
    @Test
    void reinforcePlusPlusWhitensTheRewardsOverTheBatch() {
        GrpoConfig c = config(2, AdvantageBaseline.NONE, AdvantageScaling.BATCH_WHITEN, 0);
        double[] r = {1, 0, 0, 0};
        assertArrayEquals(new double[] {1.5, -0.5, -0.5, -0.5}, Advantages.compute(r, c), 1e-15);
        GrpoConfig pop = c.toBuilder().advantageStd(StdEstimator.POPULATION).build();
        assertArrayEquals(new double[] {SQRT3, -1 / SQRT3, -1 / SQRT3, -1 / SQRT3}, Advantages.compute(r, pop), 1e-15);
        GrpoConfig preset = GrpoConfig.reinforcePlusPlus().toBuilder().groupSize(2).advantageEpsilon(0).build();
        assertArrayEquals(Advantages.compute(r, c), Advantages.compute(r, preset), 0.0);
    }

    /**
     * REINFORCE++-baseline (group mean, then batch whitening), G = 2, ε = 0, rewards (3, 1 | 5, 5): group means 2
     * and 5, centred (1, −1, 0, 0), batch mean 0, sample std √(2/3), so A = (√(3/2), −√(3/2), 0, 0). TRL's batch
     * scaling divides by the std of the raw rewards instead: mean 3.5, Σd² = 0.25 + 6.25 + 2.25 + 2.25 = 11,
     * std √(11/3), A = (1/√(11/3), −1/√(11/3), 0, 0).
     */
    @Test
    void reinforcePlusPlusBaselineWhitensTheCentredRewards() {
        double[] r = {3, 1, 5, 5};
        double a = Math.sqrt(1.5);
        assertArrayEquals(new double[] {a, -a, 0, 0},
                Advantages.compute(r, config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.BATCH_WHITEN, 0)),
                1e-15);
        double b = 1 / Math.sqrt(11.0 / 3);
        assertArrayEquals(new double[] {b, -b, 0, 0},
                Advantages.compute(r, config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.BATCH_STD, 0)), 1e-15);
    }

    /**
     * ReMax, G = 3, no scaling: group (1, 0, 1) with greedy reward 1 gives (0, −1, 0); the all-equal group
     * (0, 0, 0) with greedy reward 1 gives (−1, −1, −1), not 0: the baseline is not the group's own.
     */
    @Test
    void remaxSubtractsTheGreedyReward() {
        GrpoConfig c = config(3, AdvantageBaseline.GREEDY, AdvantageScaling.NONE, 1e-4);
        assertArrayEquals(new double[] {0, -1, 0, -1, -1, -1},
                Advantages.compute(new double[] {1, 0, 1, 0, 0, 0}, new double[] {1, 1}, c), 0.0);
        double[] f = Advantages.compute(Nd4j.createFromArray(new float[] {1, 0, 1, 0, 0, 0}), new double[] {1, 1}, c)
                .toDoubleVector();
        assertArrayEquals(new double[] {0, -1, 0, -1, -1, -1}, f, 0.0);
    }

    /**
     * Population deviation with group scaling, G = 4, ε = 0, rewards (1, 0, 0, 0): mean 1/4, Σd² = 3/4, population
     * std √(3/16) = √3/4, A = (0.75 / (√3/4), −0.25 / (√3/4), …) = (√3, −1/√3, −1/√3, −1/√3); the sample std 1/2
     * gives (1.5, −0.5, −0.5, −0.5).
     */
    @Test
    void populationDeviationDividesByN() {
        GrpoConfig sample = config(4, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.GROUP_STD, 0);
        GrpoConfig pop = sample.toBuilder().advantageStd(StdEstimator.POPULATION).build();
        double[] r = {1, 0, 0, 0};
        assertArrayEquals(new double[] {1.5, -0.5, -0.5, -0.5}, Advantages.compute(r, sample), 1e-15);
        assertArrayEquals(new double[] {SQRT3, -1 / SQRT3, -1 / SQRT3, -1 / SQRT3}, Advantages.compute(r, pop), 1e-15);
    }

    /**
     * GDPO, two verifiers of weight 1, G = 2, ε = 0. Verifier 1 scores (1, 0 | 1, 1), verifier 2 (0, 1 | 1, 0).
     * Group 1: (1, 0) and (0, 1) normalise to (1/√2, −1/√2) and (−1/√2, 1/√2) (mean 1/2, sample std 1/√2), which
     * sum to (0, 0). Group 2: verifier 1 is constant, 0; verifier 2 gives (1/√2, −1/√2). x = (0, 0, 1/√2, −1/√2):
     * mean 0, sample std √((1/2 + 1/2) / 3) = 1/√3, so A = (0, 0, √3/√2, −√3/√2). Summing first gives totals
     * (1, 1 | 2, 1) and group advantages (0, 0, 1/√2, −1/√2): GDPO keeps group 1's disagreement at 0 but rescales.
     */
    @Test
    void gdpoNormalisesEachVerifierThenWhitensTheSum() {
        GrpoConfig c = config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.GROUP_STD, 0);
        double[][] s = {{1, 0, 1, 1}, {0, 1, 1, 0}};
        double a = SQRT3 / SQRT2;
        assertArrayEquals(new double[] {0, 0, a, -a}, Advantages.normalizeThenSum(s, null, new double[] {1, 1}, c),
                1e-15);
        assertArrayEquals(new double[] {0, 0, 1 / SQRT2, -1 / SQRT2}, Advantages.compute(new double[] {1, 1, 2, 1}, c),
                1e-15);
    }

    /**
     * GDPO with an abstention, G = 3, ε = 0, weights (1, 1/2). Verifier 1 scores (1, 0, 0): mean 1/3, Σd² = 2/3,
     * sample std 1/√3, normalised (2/√3, −1/√3, −1/√3). Verifier 2 scores (2, 0) and abstains on the third: mean 1,
     * std √2, normalised (1/√2, −1/√2, —). x = (2/√3 + 1/(2√2), −1/√3 − 1/(2√2), −1/√3), whose mean is 0; A = x / std(x).
     * With the abstention read as a 0 score instead, verifier 2 would see (2, 0, 0) and x would differ.
     */
    @Test
    void gdpoLeavesAnAbstentionOutOfTheVerifiersMoments() {
        GrpoConfig c = config(3, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.GROUP_STD, 0);
        double[] x = {2 / SQRT3 + 1 / (2 * SQRT2), -1 / SQRT3 - 1 / (2 * SQRT2), -1 / SQRT3};
        double std = Math.sqrt((x[0] * x[0] + x[1] * x[1] + x[2] * x[2]) / 2);
        double[] expected = {x[0] / std, x[1] / std, x[2] / std};
        double[][] s = {{1, 0, 0}, {2, 0, 12345}};
        boolean[][] scored = {{true, true, true}, {true, true, false}};
        assertArrayEquals(expected, Advantages.normalizeThenSum(s, scored, new double[] {1, 0.5}, c), 1e-15);
        double[] asZero = Advantages.normalizeThenSum(new double[][] {{1, 0, 0}, {2, 0, 0}}, null,
                new double[] {1, 0.5}, c);
        assertTrue(Math.abs(asZero[2] - expected[2]) > 0.1, "an abstention is not a 0 score");
    }

    /**
     * A group whose verifiers each gave equal scores gets exactly 0 beside informative groups: the batch mean of the
     * sums is 0 in exact arithmetic and is not subtracted as a computed residue. Verifier scores (0.1, 0.1, 0.1 |
     * 0.3, 0.7, 0.2) and (1, 1, 1 | 0.6, 0.1, 0.9), weights 0.7 and 1.3, ε = 1e-4.
     */
    @Test
    void gdpoKeepsADegenerateGroupAtExactlyZero() {
        GrpoConfig c = config(3, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.GROUP_STD, 1e-4);
        double[] a = Advantages.normalizeThenSum(new double[][] {{0.1, 0.1, 0.1, 0.3, 0.7, 0.2},
                {1, 1, 1, 0.6, 0.1, 0.9}}, null, new double[] {0.7, 1.3}, c);
        assertArrayEquals(new double[] {0, 0, 0}, java.util.Arrays.copyOf(a, 3), 0.0);
        assertTrue(a[3] != 0 && a[4] != 0 && a[5] != 0);
        assertEquals(0, a[3] + a[4] + a[5], 1e-12);
    }

    /** A verifier scoring one completion of a group, or none, contributes nothing there; all-equal sums give 0. */
    @Test
    void gdpoWithTooFewScoresContributesNothing() {
        GrpoConfig c = config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.GROUP_STD, 1e-4);
        double[][] s = {{1, 0, 5, 7}};
        assertArrayEquals(new double[] {0, 0, 0, 0},
                Advantages.normalizeThenSum(s, new boolean[][] {{true, false, false, true}}, new double[] {1}, c), 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 0},
                Advantages.normalizeThenSum(new double[][] {{3, 3, 1, 1}}, null, new double[] {2}, c), 0.0);
    }

    @Test
    void scaleFreeForTheNewEstimators() {
        for (AdvantageBaseline b : new AdvantageBaseline[] {AdvantageBaseline.NONE, AdvantageBaseline.GROUP_MEAN}) {
            GrpoConfig c = config(2, b, AdvantageScaling.BATCH_WHITEN, 0);
            double[] small = Advantages.compute(new double[] {1, 0, 3, 2}, c);
            assertArrayEquals(small, Advantages.compute(new double[] {0x1p500, 0, 3 * 0x1p500, 0x1p501}, c), 0.0);
            assertArrayEquals(small, Advantages.compute(new double[] {0x1p-1000, 0, 3 * 0x1p-1000, 0x1p-999}, c), 0.0);
        }
        GrpoConfig remax = config(2, AdvantageBaseline.GREEDY, AdvantageScaling.GROUP_STD, 0);
        double[] r = Advantages.compute(new double[] {1e160, 0}, new double[] {1e160}, remax);
        // (0, −1e160) / (std 1e160/√2) = (0, −√2)
        assertArrayEquals(new double[] {0, -SQRT2}, r, 1e-15);
        // tiny rewards against a greedy reward of exactly 0: (1e-300, 0) − 0 over std 1e-300/√2 = (√2, 0); the
        // scale is the group's, not the 0 baseline's (whose squares would underflow to a zero deviation)
        assertArrayEquals(new double[] {SQRT2, 0}, Advantages.compute(new double[] {1e-300, 0}, new double[] {0},
                remax), 1e-15);
        assertArrayEquals(new double[] {SQRT2, 0}, Advantages.compute(new double[] {1, 0}, new double[] {0},
                remax), 1e-15);
    }

    @Test
    void remaxOutOfRangeIsAnAdvantageRangeException() {
        GrpoConfig none = config(2, AdvantageBaseline.GREEDY, AdvantageScaling.NONE, 0);
        AdvantageRangeException e = assertThrows(AdvantageRangeException.class,
                () -> Advantages.compute(new double[] {1.7e308, 0}, new double[] {-1.7e308}, none));
        assertEquals(0, e.group());
        assertTrue(e.getMessage().contains("greedy reward -1.7E308"), e.getMessage());
        // an all-equal group over a zero deviation with ε = 0: (1 − 0) / 0 cannot be represented, never Infinity
        GrpoConfig std = config(2, AdvantageBaseline.GREEDY, AdvantageScaling.GROUP_STD, 0);
        assertThrows(AdvantageRangeException.class,
                () -> Advantages.compute(new double[] {0, 1, 1, 1}, new double[] {0, 0}, std));
        // ... but an exactly matching greedy reward is 0, not 0/0
        // group 1: (0 − 0.5, 1 − 0.5) / (sample std 1/√2) = (−1/√2, 1/√2)
        assertArrayEquals(new double[] {-1 / SQRT2, 1 / SQRT2, 0, 0},
                Advantages.compute(new double[] {0, 1, 1, 1}, new double[] {0.5, 1}, std), 1e-15);
        GrpoConfig floatRange = config(2, AdvantageBaseline.GREEDY, AdvantageScaling.NONE, 0);
        assertThrows(AdvantageRangeException.class, () -> Advantages.compute(
                Nd4j.createFromArray(new float[] {3e38f, 0}), new double[] {-3e38}, floatRange));
        assertEquals(DataType.FLOAT, Advantages.compute(Nd4j.createFromArray(new float[] {1, 0}), new double[] {0},
                floatRange).dataType());
    }

    @Test
    void greedyRewardsAreRequiredExactlyForTheGreedyBaseline() {
        GrpoConfig greedy = config(2, AdvantageBaseline.GREEDY, AdvantageScaling.NONE, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.compute(new double[] {1, 0}, greedy));
        assertTrue(e.getMessage().contains("GREEDY"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Advantages.compute(Nd4j.createFromArray(1.0, 0.0), greedy));
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.compute(new double[] {1, 0}, new double[] {1, 2}, greedy));
        assertEquals("greedyRewards length (2) must equal the number of groups (1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.compute(new double[] {1, 0}, new double[] {Double.NaN}, greedy));
        assertEquals("greedyRewards[0] must be finite, was NaN", e.getMessage());
        GrpoConfig mean = config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.NONE, 0);
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.compute(new double[] {1, 0}, new double[] {1}, mean));
        assertTrue(e.getMessage().contains("must be null for advantageBaseline GROUP_MEAN"), e.getMessage());
        // the objectives derive advantages from rewards only, so a GREEDY config needs precomputed advantages
        assertThrows(IllegalArgumentException.class,
                () -> FusedGrpoObjective.create().advantages(Nd4j.createFromArray(1.0, 0.0), greedy));
        assertThrows(IllegalArgumentException.class,
                () -> Nd4jGrpoObjective.create().advantages(Nd4j.createFromArray(1.0, 0.0), greedy));
    }

    @Test
    void gdpoBadInputs() {
        GrpoConfig c = config(2, AdvantageBaseline.GROUP_MEAN, AdvantageScaling.GROUP_STD, 1e-4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder()
                .rewardAggregation(RewardAggregation.NORMALIZE_THEN_SUM)
                .advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT).build());
        assertTrue(e.getMessage().contains("was advantageBaseline LEAVE_ONE_OUT and advantageScaling GROUP_STD"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder()
                .rewardAggregation(RewardAggregation.NORMALIZE_THEN_SUM).advantageScaling(AdvantageScaling.NONE)
                .build());
        GrpoConfig gdpo = c.toBuilder().rewardAggregation(RewardAggregation.NORMALIZE_THEN_SUM).build();
        e = assertThrows(IllegalArgumentException.class, () -> Advantages.compute(new double[] {1, 0}, gdpo));
        assertTrue(e.getMessage().contains("normalizeThenSum"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Advantages.normalizeThenSum(new double[0][], null, new double[0], c));
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.normalizeThenSum(new double[][] {{1, 0}}, null, new double[] {1, 2}, c));
        assertTrue(e.getMessage().contains("one row per verifier"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.normalizeThenSum(new double[][] {{1, 0}, {1}}, null, new double[] {1, 2}, c));
        assertEquals("scores[1] length (1) must equal N (2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.normalizeThenSum(new double[][] {{1, 0, 1}}, null, new double[] {1}, c));
        assertTrue(e.getMessage().contains("groupSize 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.normalizeThenSum(new double[][] {{1, 0}}, null, new double[] {Double.NaN}, c));
        assertEquals("weights[0] must be finite, was NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Advantages.normalizeThenSum(new double[][] {{1, Double.NaN}}, null, new double[] {1}, c));
        assertEquals("scores[0][1] must be finite, was NaN", e.getMessage());
        // a NaN where the verifier abstained is never read
        assertArrayEquals(new double[] {0, 0}, Advantages.normalizeThenSum(new double[][] {{1, Double.NaN}},
                new boolean[][] {{true, false}}, new double[] {1}, c), 0.0);
        assertThrows(AdvantageRangeException.class, () -> Advantages.normalizeThenSum(
                new double[][] {{1, 0}, {1, 0}}, null, new double[] {Double.MAX_VALUE, Double.MAX_VALUE}, c));
    }

    @Test
    void newFieldsRoundTripAndThePresetCitesREINFORCEPlusPlus() {
        GrpoConfig c = GrpoConfig.builder().advantageStd(StdEstimator.POPULATION)
                .rewardAggregation(RewardAggregation.NORMALIZE_THEN_SUM).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(StdEstimator.SAMPLE, GrpoConfig.defaults().advantageStd());
        assertEquals(RewardAggregation.SUM_THEN_NORMALIZE, GrpoConfig.defaults().rewardAggregation());
        GrpoConfig rpp = GrpoConfig.reinforcePlusPlus();
        assertEquals(AdvantageBaseline.NONE, rpp.advantageBaseline());
        assertEquals(AdvantageScaling.BATCH_WHITEN, rpp.advantageScaling());
        assertEquals(GrpoConfig.grpo(), rpp.toBuilder().advantageBaseline(AdvantageBaseline.GROUP_MEAN)
                .advantageScaling(AdvantageScaling.GROUP_STD).build(), "the rest as grpo()");
        assertEquals(0, StdEstimator.POPULATION.ddof());
        assertEquals(1, StdEstimator.SAMPLE.ddof());
    }

    @Test
    void configRejectsNullNewFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GrpoConfig.builder().advantageStd(null).build());
        assertEquals("advantageStd must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().rewardAggregation(null).build());
        assertEquals("rewardAggregation must not be null", e.getMessage());
    }
}
