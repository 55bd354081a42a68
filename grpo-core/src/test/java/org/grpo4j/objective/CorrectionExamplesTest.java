package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.KlEstimator;
import org.grpo4j.LossAggregation;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMetrics;
import org.grpo4j.correction.CorrectionMode;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;
import org.grpo4j.testing.Matrices;
import org.grpo4j.testing.ReferenceGrpoObjective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Hand-computed examples of every per-token correction ({@code docs/objective.md}, "Rollout correction",
 * "Entropy masking"), two per option, each worked in its comment and checked on {@link Nd4jGrpoObjective},
 * {@link FusedGrpoObjective} and the reference (DOUBLE inputs, 1e-12).
 *
 * <p>Common setting unless stated: G = 2, rewards [1, 0] with no std scaling, so A = [+0.5, −0.5]; β = 0; token-mean
 * aggregation (w = 1 / active tokens); on-policy (logpOld absent), so every policy ratio is 1 and a token's loss is
 * {@code p = −A} with {@code dp/dlogp = −A}; the correction weight c multiplies both.
 */
class CorrectionExamplesTest {
    private static final List<GrpoObjective> OBJECTIVES = List.of(Nd4jGrpoObjective.create(),
            FusedGrpoObjective.create(), ReferenceGrpoObjective.create());
    private static final double TOL = 1e-12;
    private static final double LN2 = Math.log(2);

    private static GrpoConfig.Builder base() {
        return GrpoConfig.builder().groupSize(2).advantageScaling(AdvantageScaling.NONE).beta(0)
                .lossAggregation(LossAggregation.TOKEN_MEAN);
    }

    /** logpNew −1 everywhere; the sampler's log-probability is {@code −1 − ln q} for q = [[4, 0.5], [1, 8]]. */
    private static ObjectiveInput samplerInput() {
        double[][] lp = {{-1, -1}, {-1, -1}};
        double[][] sampling = {{-1 - Math.log(4), -1 - Math.log(0.5)}, {-1, -1 - Math.log(8)}};
        return new ObjectiveInput(Matrices.vector(new double[] {1, 0}, DataType.DOUBLE), null,
                Matrices.matrix(lp, DataType.DOUBLE), null, null, Matrices.matrix(ones(2, 2), DataType.DOUBLE),
                Matrices.matrix(sampling, DataType.DOUBLE), null);
    }

    private static double[][] ones(int n, int t) {
        double[][] m = new double[n][t];
        for (double[] r : m) {
            java.util.Arrays.fill(r, 1);
        }
        return m;
    }

    private static void check(ObjectiveInput in, GrpoConfig c, double loss, double[][] gradient) {
        for (GrpoObjective o : OBJECTIVES) {
            ObjectiveResult r = o.evaluate(in, c);
            String who = o.getClass().getSimpleName();
            assertEquals(loss, r.loss(), TOL, who + " loss");
            double[][] g = Matrices.toMatrix(r.gradient());
            for (int i = 0; i < gradient.length; i++) {
                for (int j = 0; j < gradient[i].length; j++) {
                    assertEquals(gradient[i][j], g[i][j], TOL, who + " gradient[" + i + ", " + j + "]");
                }
            }
        }
    }

    private static CorrectionMetrics metrics(ObjectiveInput in, GrpoConfig c, GrpoObjective o) {
        return o.evaluate(in, c).correction();
    }

    private static void checkRatios(ObjectiveInput in, GrpoConfig c, double min, double mean, double max) {
        for (GrpoObjective o : OBJECTIVES) {
            CorrectionMetrics m = metrics(in, c, o);
            assertEquals(min, m.importanceRatioMin(), TOL);
            assertEquals(mean, m.importanceRatioMean(), TOL);
            assertEquals(max, m.importanceRatioMax(), TOL);
        }
    }

    // --------------------------------------------------------------------- importance weights, token level

    /**
     * TRL {@code token_truncate}, cap 2: c = min(q, 2) = [[2, 0.5], [1, 2]]. Loss = ¼ Σ c p =
     * ¼ [2(−0.5) + 0.5(−0.5) + 1(0.5) + 2(0.5)] = ¼ · 0.25 = 0.0625; gradient ¼ c (−A) = [[−0.25, −0.0625],
     * [0.125, 0.25]]. Ratio metrics over the 4 tokens: min 0.5, mean 5.5/4 = 1.375, max 2; |logp_old − logp_s| =
     * [2 ln 2, ln 2, 0, 3 ln 2]: mean 1.5 ln 2, max 3 ln 2.
     */
    @Test
    void tokenTruncate() {
        GrpoConfig c = base().rolloutCorrection(RolloutCorrection.trl(CorrectionMode.TRUNCATE,
                CorrectionLevel.TOKEN, 2)).build();
        check(samplerInput(), c, 0.0625, new double[][] {{-0.25, -0.0625}, {0.125, 0.25}});
        checkRatios(samplerInput(), c, 0.5, 1.375, 2);
        for (GrpoObjective o : OBJECTIVES) {
            CorrectionMetrics m = metrics(samplerInput(), c, o);
            assertEquals(1.5 * LN2, m.samplingLogpDifferenceMean(), TOL);
            assertEquals(3 * LN2, m.samplingLogpDifferenceMax(), TOL);
        }
    }

    /**
     * TRL {@code token_mask}, cap 3 (no lower bound): c = q where q ≤ 3, else 0 = [[0, 0.5], [1, 0]]. Loss =
     * ¼ [0 + 0.5(−0.5) + 1(0.5) + 0] = 0.0625; gradient [[0, −0.0625], [0.125, 0]]; ratios min 0, mean 1.5/4 =
     * 0.375, max 1.
     */
    @Test
    void tokenMask() {
        GrpoConfig c = base().rolloutCorrection(RolloutCorrection.trl(CorrectionMode.MASK,
                CorrectionLevel.TOKEN, 3)).build();
        check(samplerInput(), c, 0.0625, new double[][] {{0, -0.0625}, {0.125, 0}});
        checkRatios(samplerInput(), c, 0, 0.375, 1);
    }

    // ----------------------------------------------------------------- importance weights, sequence level

    /**
     * TRL {@code sequence_truncate}, cap 5: q_seq = Π q = [4 · 0.5, 1 · 8] = [2, 8], c = [2, 5] per row. Loss =
     * ¼ [2 · 2(−0.5) + 2 · 5(0.5)] = ¼ (−2 + 5) = 0.75; gradient row 0: ¼ · 2 · (−0.5) = −0.25, row 1:
     * ¼ · 5 · 0.5 = 0.625; ratios over the 2 sequences: min 2, mean 3.5, max 5.
     */
    @Test
    void sequenceTruncate() {
        GrpoConfig c = base().rolloutCorrection(RolloutCorrection.trl(CorrectionMode.TRUNCATE,
                CorrectionLevel.SEQUENCE, 5)).build();
        check(samplerInput(), c, 0.75, new double[][] {{-0.25, -0.25}, {0.625, 0.625}});
        checkRatios(samplerInput(), c, 2, 3.5, 5);
    }

    /**
     * verl {@code rollout_is=geometric}, {@code mode=mask}, threshold 2 (lower 1/2): q_geo = [√2, √8 ≈ 2.83];
     * row 1 lies above 2, c = [√2, 0]. Loss = ¼ · 2 · √2 · (−0.5) = −√2/4; gradient row 0: −0.5 √2 / 4, row 1: 0;
     * ratios min 0, mean √2/2, max √2.
     */
    @Test
    void geometricMask() {
        GrpoConfig c = base().rolloutCorrection(RolloutCorrection.verl(CorrectionMode.MASK,
                CorrectionLevel.GEOMETRIC, 2)).build();
        double s = Math.sqrt(2);
        check(samplerInput(), c, -s / 4, new double[][] {{-0.5 * s / 4, -0.5 * s / 4}, {0, 0}});
        checkRatios(samplerInput(), c, 0, s / 2, s);
    }

    // -------------------------------------------------------------------------- off-policy sequence mask

    /** logpNew −1; logpOld [[−1, −1], [−0.8, −0.6]] (no sampler: the old policy is the sampling policy). */
    private static ObjectiveInput offPolicyInput(double[] rewards) {
        return new ObjectiveInput(Matrices.vector(rewards, DataType.DOUBLE), null,
                Matrices.matrix(new double[][] {{-1, -1}, {-1, -1}}, DataType.DOUBLE),
                Matrices.matrix(new double[][] {{-1, -1}, {-0.8, -0.6}}, DataType.DOUBLE), null,
                Matrices.matrix(ones(2, 2), DataType.DOUBLE));
    }

    /**
     * δ = 0.1, rewards [1, 0]: row 1 has A = −0.5 and mean(logp_old − logp_new) = (0.2 + 0.4)/2 = 0.3 &gt; δ, so it
     * is masked; row 0 (ratio 1) keeps p = −0.5 per token. Loss = ¼ (−0.5 − 0.5) = −0.25; gradient row 0: −0.125,
     * row 1: 0; masked fraction 1/2.
     */
    @Test
    void offPolicyMaskRemovesADivergentNegativeSequence() {
        GrpoConfig c = base().rolloutCorrection(RolloutCorrection.off().withOffPolicyMask(0.1)).build();
        ObjectiveInput in = offPolicyInput(new double[] {1, 0});
        check(in, c, -0.25, new double[][] {{-0.125, -0.125}, {0, 0}});
        for (GrpoObjective o : OBJECTIVES) {
            assertEquals(0.5, metrics(in, c, o).offPolicyMaskedFraction(), TOL);
        }
    }

    /**
     * δ = 0.1, rewards [0, 1]: the divergent row 1 now has A = +0.5 and is kept. Row 0: ratio 1, p = +0.5 per
     * token. Row 1: ratios e^−0.2 ≈ 0.8187 (inside [0.8, 1.2], p = −0.5 e^−0.2) and e^−0.4 ≈ 0.6703 (below 0.8;
     * for A &gt; 0 the unclipped ρA is the smaller term, so p = −0.5 e^−0.4 with gradient −0.5 e^−0.4). Loss =
     * ¼ (1 − 0.5 e^−0.2 − 0.5 e^−0.4) ≈ 0.0638687; gradient row 0: −¼(−0.5) = 0.125, row 1: −¼ · 0.5 e^u.
     */
    @Test
    void offPolicyMaskKeepsPositiveAdvantages() {
        GrpoConfig c = base().rolloutCorrection(RolloutCorrection.off().withOffPolicyMask(0.1)).build();
        ObjectiveInput in = offPolicyInput(new double[] {0, 1});
        double a = 0.5 * Math.exp(-0.2);
        double b = 0.5 * Math.exp(-0.4);
        check(in, c, (1 - a - b) / 4, new double[][] {{0.125, 0.125}, {-a / 4, -b / 4}});
        for (GrpoObjective o : OBJECTIVES) {
            assertEquals(0.0, metrics(in, c, o).offPolicyMaskedFraction(), 0.0);
        }
    }

    // ------------------------------------------------------------------------------ unbiased KL (V3.2)

    private static ObjectiveInput klInput(boolean withOld) {
        return new ObjectiveInput(Matrices.vector(new double[] {1, 0}, DataType.DOUBLE), null,
                Matrices.matrix(new double[][] {{-1}, {-1}}, DataType.DOUBLE),
                withOld ? Matrices.matrix(new double[][] {{-1.1}, {-0.9}}, DataType.DOUBLE) : null,
                Matrices.matrix(new double[][] {{-1.5}, {-0.5}}, DataType.DOUBLE),
                Matrices.matrix(ones(2, 1), DataType.DOUBLE));
    }

    /**
     * β = 0.1, k3, one token per row, w = ½. ρ = e^(logp_new − logp_old) = [e^0.1, e^−0.1]; d = logp_ref − logp_new
     * = [−0.5, 0.5], k3 = e^d − d − 1 = [0.1065307, 0.1487213], dk3/dlogp = 1 − e^d = [0.3934693, −0.6487213].
     * Policy: p = −ρA = [−0.5525855, 0.4524187] (both inside [0.8, 1.2]), dp = p. Loss = ½ Σ (p + β ρ k3) ≈
     * −0.0374682; gradient ½ (dp + β ρ (k3 + dk3)) ≈ [−0.2486635, 0.2035884]; loss/kl = ½ Σ ρ k3 ≈ 0.1261516.
     */
    @Test
    void klCorrectionWeightsTheEstimatorByTheRatio() {
        GrpoConfig c = base().beta(0.1).klEstimator(KlEstimator.K3)
                .rolloutCorrection(RolloutCorrection.off().withKlCorrection(true)).build();
        check(klInput(true), c, -0.037468217130664734,
                new double[][] {{-0.24866345656702074}, {0.20358841905809089}});
        for (GrpoObjective o : OBJECTIVES) {
            assertEquals(0.12615157879257324, o.evaluate(klInput(true), c).metrics().klLoss(), TOL);
        }
    }

    /**
     * On-policy, the same β and reference: ρ = 1 in value but its derivative is 1, so the KL gradient is
     * k3 + dk3/dlogp = (e^d − d − 1) + (1 − e^d) = −d = [0.5, −0.5] instead of 1 − e^d. Loss = ½ (−0.5 + 0.5 +
     * 0.1 (0.1065307 + 0.1487213)) ≈ 0.0127626; gradient ½ (∓0.5 + 0.1 · ±0.5) = [−0.225, 0.225].
     */
    @Test
    void klCorrectionOnPolicyDifferentiatesTheUnitRatio() {
        GrpoConfig c = base().beta(0.1).klEstimator(KlEstimator.K3)
                .rolloutCorrection(RolloutCorrection.off().withKlCorrection(true)).build();
        check(klInput(false), c, 0.012762596520638093, new double[][] {{-0.225}, {0.225}});
    }

    // ------------------------------------------------------------------------------------- entropy mask

    /** Entropies [[0.1, 2.0, 0.5], [2.0, 1.0, 9.9]] with the last token of row 1 masked: 5 active tokens. */
    private static ObjectiveInput entropyInput() {
        return new ObjectiveInput(Matrices.vector(new double[] {1, 0}, DataType.DOUBLE), null,
                Matrices.matrix(new double[][] {{-1, -1, -1}, {-1, -1, -1}}, DataType.DOUBLE), null, null,
                Matrices.matrix(new double[][] {{1, 1, 1}, {1, 1, 0}}, DataType.DOUBLE), null,
                Matrices.matrix(new double[][] {{0.1, 2.0, 0.5}, {2.0, 1.0, 9.9}}, DataType.DOUBLE));
    }

    /**
     * q = 0.5: the active entropies sorted are [0.1, 0.5, 1.0, 2.0, 2.0]; the 0.5-quantile sits at position
     * 0.5 · 4 = 2, threshold 1.0; kept: (0,1), (1,0), (1,1). Loss = ⅕ (−0.5 + 0.5 + 0.5) = 0.1; gradient ⅕(−A) at
     * kept tokens: (0,1) −0.1, (1,0) and (1,1) 0.1, else 0; masked fraction 2/5.
     */
    @Test
    void entropyMaskAtHalf() {
        GrpoConfig c = base().entropyControl(EntropyControl.topQuantile(0.5)).build();
        check(entropyInput(), c, 0.1, new double[][] {{0, -0.1, 0}, {0.1, 0.1, 0}});
        for (GrpoObjective o : OBJECTIVES) {
            assertEquals(0.4, metrics(entropyInput(), c, o).entropyMaskedFraction(), TOL);
        }
    }

    /**
     * q = 0.2: the 0.8-quantile sits at position 3.2, between the two tied 2.0s, threshold 2.0; both tied tokens
     * are kept (2 of 5, more than 20%: ties never split). Loss = ⅕ (−0.5 + 0.5) = 0; gradient (0,1) −0.1,
     * (1,0) 0.1, else 0; masked fraction 3/5.
     */
    @Test
    void entropyMaskKeepsTies() {
        GrpoConfig c = base().entropyControl(EntropyControl.topQuantile(0.2)).build();
        check(entropyInput(), c, 0, new double[][] {{0, -0.1, 0}, {0.1, 0, 0}});
        for (GrpoObjective o : OBJECTIVES) {
            assertEquals(0.6, metrics(entropyInput(), c, o).entropyMaskedFraction(), TOL);
        }
    }
}
