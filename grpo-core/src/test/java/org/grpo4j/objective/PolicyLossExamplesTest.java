package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.grpo4j.FullyMaskedRows;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.LossAggregation;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.PolicyLoss;
import org.grpo4j.PolicyLossParameters;
import org.grpo4j.testing.Matrices;
import org.grpo4j.testing.ReferenceGrpoObjective;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Hand-computed examples of every policy loss other than the clipped one (docs/objective.md, section 3), two or
 * more each, worked in the comments, on {@link Nd4jGrpoObjective}, {@link FusedGrpoObjective} and
 * {@link ReferenceGrpoObjective}, with DOUBLE and FLOAT inputs. Every batch is one group of two (G = 2), the
 * advantages are given (A = (1, −1) unless said), β = 0, and logpOld = logpNew − u for the log-ratios u listed.
 * TOKEN_MEAN weighs each of the n active tokens w = 1/n.
 */
class PolicyLossExamplesTest {

    private static final double LN2 = Math.log(2);
    private static final double LN15 = Math.log(1.5);

    /** One worked example: the inputs, and the loss, gradient and metrics computed by hand. */
    private record Example(String name, GrpoConfig config, double[] advantages, double[][] logpNew,
                           double[][] logRatio, double[][] mask, double loss, double[][] gradient,
                           double clipLow, double clipHigh, double covSelected) {
    }

    private static GrpoConfig.Builder base(PolicyLoss loss) {
        return GrpoConfig.builder().groupSize(2).beta(0).policyLoss(loss).lossAggregation(LossAggregation.TOKEN_MEAN);
    }

    private static double[][] full(int t) {
        return new double[][] {ones(t), ones(t)};
    }

    private static double[] ones(int t) {
        double[] o = new double[t];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    static List<Example> examples() {
        double e5 = Math.exp(0.5);
        double phi1 = Math.exp(3 + 2 * 0.3 - 3 * Math.exp(0.3));
        double phi2 = Math.exp(-3 + 2 * LN2);
        return List.of(
                // CISPO, ε_max = 1.2, T = 1, w = ½.
                // row 0: A = 1, ℓ = −1, ρ = 1.5 → weight min(1.5, 1.2) = 1.2; p = −1.2·1·(−1) = 1.2,
                //        ∂/∂ℓ = −1.2·1·½ = −0.6; ρ > ε_max with A > 0: counted in cispo_clip_ratio
                // row 1: A = −1, ℓ = −2, ρ = 0.5 → weight 0.5; p = −0.5·(−1)·(−2) = −1, ∂/∂ℓ = 0.5·½ = 0.25
                // loss = ½(1.2 − 1) = 0.1; clip high = ½
                new Example("CISPO caps the weight at ε_max",
                        base(PolicyLoss.CISPO).policyLossParameters(PolicyLossParameters.defaults().withCispo(1.2))
                                .build(),
                        new double[] {1, -1}, new double[][] {{-1}, {-2}}, new double[][] {{LN15}, {-LN2}}, full(1),
                        0.1, new double[][] {{-0.6}, {0.25}}, 0, 0.5, 0),
                // CISPO at SEQUENCE level, ε_max = 5, SEQUENCE_MEAN_TOKEN_MEAN (w = 1/(2·2) = ¼), T = 2.
                // row 0: A = 1, u = (ln 2, 0): s = exp(ln 2 / 2) = √2 < 5, ℓ = (−1, −0.5): p = (√2, √2/2),
                //        ∂/∂ℓ = −√2·¼ at both tokens (the weight is a constant: no chain through s)
                // row 1: A = −1, u = 0: s = 1, ℓ = (−3, −1): p = ℓ = (−3, −1), ∂/∂ℓ = ¼
                // loss = ¼(1.5√2 − 4) = 0.375√2 − 1
                new Example("CISPO with the sequence ratio as the weight",
                        base(PolicyLoss.CISPO).importanceLevel(ImportanceLevel.SEQUENCE)
                                .lossAggregation(LossAggregation.SEQUENCE_MEAN_TOKEN_MEAN).build(),
                        new double[] {1, -1}, new double[][] {{-1, -0.5}, {-3, -1}},
                        new double[][] {{LN2, 0}, {0, 0}}, full(2), 0.375 * Math.sqrt(2) - 1,
                        new double[][] {{-Math.sqrt(2) / 4, -Math.sqrt(2) / 4}, {0.25, 0.25}}, 0, 0, 0),
                // SAPO, TRL's τ_pos = 1, τ_neg = 1.05, T = 1, w = ½.
                // row 0: A = 1, ρ = 1: σ(0) = ½, p = −(4/1)·½·1 = −2; ∂p/∂u = −4σ(1−σ)ρA = −1, ∂/∂ℓ = −½
                // row 1: A = −1, ρ = 2: x = 1.05·(2 − 1), σ = 1/(1 + e^−1.05) = 0.740774899182154,
                //        p = (4/1.05)σ = 2.821999615932015, ∂p/∂u = 4σ(1 − σ)·2 = 1.5362195833905886,
                //        ∂/∂ℓ = ½ of it = 0.7681097916952943
                // loss = ½(−2 + 2.821999615932015) = 0.41099980796600755; SAPO has no clip metrics
                new Example("SAPO's gate at ρ = 1 and ρ = 2", base(PolicyLoss.SAPO).build(),
                        new double[] {1, -1}, new double[][] {{-1}, {-2}}, new double[][] {{0}, {LN2}}, full(1),
                        0.41099980796600755, new double[][] {{-0.5}, {0.7681097916952943}}, 0, 0, 0),
                // SAPO with τ = 0.001 on both sides: the gate is nearly linear, (4/τ)σ(τ(ρ − 1)) ≈ 2/τ + ρ − 1,
                // so the gradient is nearly the unclipped −ρA: T = 1, w = ½
                // row 0: A = 1, ρ = 1.5: ∂p/∂u = −4σ(1−σ)·1.5 = −1.4999999062500038, ∂/∂ℓ = ½ of it
                //        p = −(4/0.001)σ(0.0005) = −2000.499999989583
                // row 1: A = −1, ρ = 0.5: ∂p/∂u = 0.49999996875000124, p = 1999.5000000104167
                // loss = ½(−2000.499999989583 + 1999.5000000104167) = −0.49999998958315
                new Example("SAPO with a small temperature is the unclipped surrogate",
                        base(PolicyLoss.SAPO).policyLossParameters(PolicyLossParameters.defaults()
                                .withSapo(0.001, 0.001)).build(),
                        new double[] {1, -1}, new double[][] {{-1}, {-2}}, new double[][] {{LN15}, {-LN2}},
                        full(1), 0.5 * (-2000.499999989583 + 1999.5000000104167),
                        new double[][] {{-1.4999999062500038 / 2}, {0.49999996875000124 / 2}}, 0, 0, 0),
                // GMPO, ε_low = ε_high = 0.4 (log space), SEQUENCE_MEAN_TOKEN_MEAN with COUNTED rows (w = ¼), T = 2.
                // row 0: A = 1, u = (0.6, −0.2): ũ = (min(0.6, 0.4), −0.2) = (0.4, −0.2), mean 0.1,
                //        ρ_geo = e^0.1 = 1.1051709180756477, p = −e^0.1 at both tokens; token 0 is clipped
                //        (gradient 0, counted high), token 1: ∂/∂ℓ = (Σ_s w)(−A)ρ_geo/L = ½·(−1)·e^0.1·½
                // row 1: A = −1, u = (−0.6, 0.2): ũ = (max(−0.6, −0.4), 0.2) = (−0.4, 0.2), mean −0.1,
                //        p = +e^−0.1; token 0 clipped (counted low), token 1: ∂/∂ℓ = ½·1·e^−0.1·½
                // loss = ¼·2(−e^0.1 + e^−0.1) = −0.1001667500198441
                new Example("GMPO clips each log-ratio in the direction of its advantage",
                        base(PolicyLoss.GMPO).epsilonLow(0.4).epsilonHigh(0.4)
                                .lossAggregation(LossAggregation.SEQUENCE_MEAN_TOKEN_MEAN)
                                .fullyMaskedRows(FullyMaskedRows.COUNTED).build(),
                        new double[] {1, -1}, new double[][] {{-1, -2}, {-1.5, -0.5}},
                        new double[][] {{0.6, -0.2}, {-0.6, 0.2}}, full(2), -0.1001667500198441,
                        new double[][] {{0, -0.27629272951891193}, {0, 0.22620935450898988}}, 0.25, 0.25, 0),
                // GMPO with one token per row is PPO with bounds e^±ε in log space: ε = 0.4, T = 1, w = ½, A = ±2.
                // row 0: A = 2, ρ = 1.2 < e^0.4 = 1.4918: ρ_geo = 1.2, p = −2.4, ∂/∂ℓ = ½·(−2)·1.2 = −1.2
                // row 1: A = −2, ρ = 0.5, ln 0.5 < −0.4: ρ_geo = e^−0.4 = 0.6703200460356393, p = 2e^−0.4,
                //        gradient 0 (clipped, counted low)
                // loss = ½(−2.4 + 1.3406400920712787) = −0.5296799539643606
                new Example("GMPO on one-token rows", base(PolicyLoss.GMPO).epsilonLow(0.4).epsilonHigh(0.4).build(),
                        new double[] {2, -2}, new double[][] {{-1}, {-1}},
                        new double[][] {{Math.log(1.2)}, {-LN2}}, full(1), -0.5296799539643606,
                        new double[][] {{-1.2}, {0}}, 0.5, 0, 0),
                // GPG: p = −Aℓ whatever the ratio; T = 2, w = ¼, ℓ = ((−1, −2), (−0.5, −4)), u = 0.3 everywhere
                // p = ((1, 2), (−0.5, −4)), loss = ¼(1 + 2 − 0.5 − 4) = −0.375, ∂/∂ℓ = −A/4
                new Example("GPG is the plain policy gradient", base(PolicyLoss.GPG).build(),
                        new double[] {1, -1}, new double[][] {{-1, -2}, {-0.5, -4}},
                        new double[][] {{0.3, 0.3}, {0.3, 0.3}}, full(2), -0.375,
                        new double[][] {{-0.25, -0.25}, {0.25, 0.25}}, 0, 0, 0),
                // GPG with CONSTANT_NORMALIZER, maxCompletionLength 4: w = 1/(2·4) = ⅛; A = (½, −½);
                // row 0 mask (1, 0), ℓ = (−2, −7): p = (1, 0); row 1 ℓ = (−1, −3): p = (−½, −3/2)
                // loss = (1 − ½ − 3/2)/8 = −0.125; ∂/∂ℓ = −A/8 = (−1/16, 0), (1/16, 1/16)
                new Example("GPG with Dr. GRPO's normaliser and a masked token",
                        base(PolicyLoss.GPG).lossAggregation(LossAggregation.CONSTANT_NORMALIZER)
                                .maxCompletionLength(4).build(),
                        new double[] {0.5, -0.5}, new double[][] {{-2, -7}, {-1, -3}},
                        new double[][] {{0, 0}, {0, 0}}, new double[][] {{1, 0}, {1, 1}}, -0.125,
                        new double[][] {{-0.0625, 0}, {0.0625, 0.0625}}, 0, 0, 0),
                // VESPO, TRL's k_pos = 2, λ_pos = 3, k_neg = 3, λ_neg = 2; T = 2, w = ¼.
                // row 0: A = 1, u = (0.1, 0.2): log W = 0.3, log φ = 3 + 2·0.3 − 3e^0.3 = −0.449576422728009,
                //        φ = 0.637898293623749; ℓ = (−1, −1): p = φ at both, ∂/∂ℓ = −φ/4
                // row 1: A = −1, u = 0: W = 1, φ = e^(2 + 0 − 2) = 1; ℓ = (−2, −1): p = ℓ, ∂/∂ℓ = ¼
                // loss = ¼(2φ − 3) = −0.4310508531881255
                new Example("VESPO's gamma weight", base(PolicyLoss.VESPO).build(),
                        new double[] {1, -1}, new double[][] {{-1, -1}, {-2, -1}},
                        new double[][] {{0.1, 0.2}, {0, 0}}, full(2), 0.25 * (2 * phi1 - 3),
                        new double[][] {{-phi1 / 4, -phi1 / 4}, {0.25, 0.25}}, 0, 0, 0),
                // VESPO far off-policy: T = 1, w = ½, A = (½, −½), ℓ = −1.
                // row 0: u = ln 2: log φ = 3 + 2 ln 2 − 3·2 = −1.6137..., φ = 0.1991482734714558,
                //        p = −φ·½·(−1) = φ/2, ∂/∂ℓ = −φ/2·½ = −φ/4
                // row 1: u = 30, clamped to 20: log φ = 2 + 3·20 − 2e^20 → φ = 0: p = 0, gradient 0
                // loss = ½·φ/2 = 0.04978706836786395
                new Example("VESPO's weight vanishes far off-policy", base(PolicyLoss.VESPO).build(),
                        new double[] {0.5, -0.5}, new double[][] {{-1}, {-1}}, new double[][] {{LN2}, {30}},
                        full(1), phi2 / 4, new double[][] {{-phi2 / 4}, {0}}, 0, 0, 0),
                // KL-Cov, r = ¼ (quota max(1, ⌊4/4⌋) = 1), κ = 1; T = 2, w = ¼.
                // ℓ = ((−1, −3), (−2, −2)): Ā = 0, ℓ̄ = −2; cov = (A − Ā)(ℓ − ℓ̄) = ((1, −1), (0, 0)): token
                // (0, 0) is selected. u = ((0.5, 0), (1, 0)); nothing is clipped in KL-Cov.
                // (0,0): p = −e^0.5 + |0.5| = −1.1487212707001282, ∂/∂ℓ = ¼(−e^0.5 + 1) = −0.16218031767503205
                // (0,1): p = −1, ∂/∂ℓ = −¼;  (1,0): ρ = e, p = e, ∂/∂ℓ = e/4;  (1,1): p = 1, ∂/∂ℓ = ¼
                // loss = ¼(−1.1487212707001282 − 1 + e + 1) = 0.3923901394397292; selected ¼
                new Example("KL-Cov penalises the token of largest covariance",
                        base(PolicyLoss.KL_COV).policyLossParameters(PolicyLossParameters.defaults()
                                .withKlCov(0.25, 1)).build(),
                        new double[] {1, -1}, new double[][] {{-1, -3}, {-2, -2}},
                        new double[][] {{0.5, 0}, {1, 0}}, full(2), 0.3923901394397292,
                        new double[][] {{-0.16218031767503205, -0.25}, {Math.E / 4, 0.25}}, 0, 0, 0.25),
                // KL-Cov ties: r = ½ (quota 2), ℓ = ((−1, −1), (−3, −3)): ℓ̄ = −2, cov = 1 at all four tokens,
                // so the two of lowest index, (0, 0) and (0, 1), are selected. u = 0.5 everywhere, κ = 1.
                // row 0: p = −e^0.5 + 0.5, ∂/∂ℓ = ¼(−e^0.5 + 1); row 1: p = e^0.5, ∂/∂ℓ = e^0.5/4
                // loss = ¼(2(−e^0.5 + 0.5) + 2e^0.5) = 0.25; selected ½
                new Example("KL-Cov breaks ties by index",
                        base(PolicyLoss.KL_COV).policyLossParameters(PolicyLossParameters.defaults()
                                .withKlCov(0.5, 1)).build(),
                        new double[] {1, -1}, new double[][] {{-1, -1}, {-3, -3}},
                        new double[][] {{0.5, 0.5}, {0.5, 0.5}}, full(2), 0.25,
                        new double[][] {{(1 - e5) / 4, (1 - e5) / 4}, {e5 / 4, e5 / 4}}, 0, 0, 0.5),
                // Clip-Cov, verl's band (1, 5) and r = 2e-4 (quota 1), ε = 0.2; T = 2, w = ¼.
                // ℓ = ((−1, −6), (−4, −5)): Ā = 0, ℓ̄ ≈ −4 (verl's count + 1e-8 moves it by 4e-9);
                // cov ≈ ((3, −2), (0, 1)): only (0, 0) lies strictly inside (1, 5) — (1, 1) is at 1 − 1e-9.
                // u = ((0.1, 0.3), (0, 0)): (0, 0) has ρ = e^0.1 inside the clip range, so it is a candidate and
                // is cut: p = 0, gradient 0. (0, 1): ρ = e^0.3 > 1.2 with A > 0: clipped, p = −1.2, gradient 0.
                // row 1: ρ = 1, p = 1, ∂/∂ℓ = ¼.  loss = ¼(0 − 1.2 + 1 + 1) = 0.2; high ¼, selected ¼
                new Example("Clip-Cov cuts the token inside the covariance band", base(PolicyLoss.CLIP_COV).build(),
                        new double[] {1, -1}, new double[][] {{-1, -6}, {-4, -5}},
                        new double[][] {{0.1, 0.3}, {0, 0}}, full(2), 0.2,
                        new double[][] {{0, 0}, {0.25, 0.25}}, 0, 0.25, 0.25),
                // Clip-Cov, band (−1, 1), r = 1 (quota 4): every candidate is cut. ℓ = ((−0.5, −1.5), (−1, −1)):
                // ℓ̄ ≈ −1, cov ≈ ((0.5, −0.5), (0, 0)), all inside the band. u = ((0, 0), (0, −0.5)): token (1, 1)
                // has ρ = e^−0.5 = 0.6065 < 0.8 with A < 0, clipped (−A·clip(ρ) = 0.8 > −Aρ), so it is no
                // candidate and keeps p = 0.8 with gradient 0; the other three are cut (p = 0, gradient 0).
                // loss = ¼·0.8 = 0.2; low ¼, selected ¾; the gradient is 0 everywhere
                new Example("Clip-Cov leaves clipped tokens alone",
                        base(PolicyLoss.CLIP_COV).policyLossParameters(PolicyLossParameters.defaults()
                                .withClipCov(1, -1, 1)).build(),
                        new double[] {1, -1}, new double[][] {{-0.5, -1.5}, {-1, -1}},
                        new double[][] {{0, 0}, {0, -0.5}}, full(2), 0.2,
                        new double[][] {{0, 0}, {0, 0}}, 0.25, 0, 0.75),
                // LUSPO (GSPO's sequence ratio, ε = 3e-4/4e-4, the sequence mean of token sums, rows counted):
                // on-policy, A = (1, −1), row 0 has 3 active tokens and row 1 one: every active token has
                // p = −A; w = 1/N = ½ per token; loss = ½(3·(−1) + 1·1) = −1 (the GRPO mean of token means
                // would give ½(−1 + 1) = 0: a long sequence weighs by its length).
                // ∂/∂ℓ at SEQUENCE level: m/L · Σ_s w ∂p/∂u = ⅓·3·½·(−1) = −½ on row 0, 1·½·1 = ½ on row 1
                new Example("LUSPO weighs a sequence by its length", GrpoConfig.luspo().toBuilder().groupSize(2)
                        .build(),
                        new double[] {1, -1}, new double[][] {{-1, -2, -3}, {-1, -2, -3}},
                        new double[][] {{0, 0, 0}, {0, 0, 0}}, new double[][] {{1, 1, 1}, {1, 0, 0}}, -1,
                        new double[][] {{-0.5, -0.5, -0.5}, {0.5, 0, 0}}, 0, 0, 0));
    }

    static Stream<Arguments> cases() {
        List<GrpoObjective> objectives = List.of(Nd4jGrpoObjective.create(), FusedGrpoObjective.create(),
                ReferenceGrpoObjective.create());
        return examples().stream().flatMap(e -> objectives.stream().flatMap(o -> Stream.of(
                Arguments.of(e.name(), e, o, DataType.DOUBLE), Arguments.of(e.name(), e, o, DataType.FLOAT))));
    }

    /**
     * The loss, every gradient entry, the clip fractions and the covariance selection are the hand-computed ones.
     *
     * @param name    the example
     * @param e       its data
     * @param o       the objective
     * @param type    the inputs' data type
     */
    @ParameterizedTest(name = "{0}, {2}, {3}")
    @MethodSource("cases")
    void handComputedExample(String name, Example e, GrpoObjective o, DataType type) {
        int n = e.logpNew().length;
        int t = e.logpNew()[0].length;
        double[][] logpOld = new double[n][t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                logpOld[i][j] = e.logpNew()[i][j] - e.logRatio()[i][j];
            }
        }
        ObjectiveInput in = ObjectiveInput.of(Matrices.vector(new double[] {1, 0}, type),
                        Matrices.matrix(e.logpNew(), type), Matrices.matrix(logpOld, type), null,
                        Matrices.matrix(e.mask(), type))
                .withAdvantages(Matrices.vector(e.advantages(), type));
        ObjectiveResult r = o.evaluate(in, e.config());
        double relative = type == DataType.DOUBLE ? 1e-12 : 2e-6;
        double scale = Math.max(1, Math.abs(e.loss()));
        if (e.config().policyLossParameters().sapoTemperaturePositive() < 0.01) {
            scale = 2000;                                          // the gate's constant 2/τ dominates the loss
        }
        assertEquals(e.loss(), r.loss(), relative * scale, name + ": loss");
        double[][] g = Matrices.toMatrix(r.gradient());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                assertEquals(e.gradient()[i][j], g[i][j], relative * Math.max(1, Matrices.maxAbs(e.gradient())),
                        name + ": gradient[" + i + ", " + j + "]");
            }
        }
        ObjectiveMetrics m = r.metrics();
        assertEquals(e.clipLow(), m.clipFractionLow(), 1e-12, name + ": clip_ratio/low_mean");
        assertEquals(e.clipHigh(), m.clipFractionHigh(), 1e-12, name + ": clip_ratio/high_mean");
        assertEquals(e.clipLow() + e.clipHigh(), m.clipFractionRegion(), 1e-12, name + ": clip_ratio/region_mean");
        assertEquals(e.covSelected(), m.covSelectedFraction(), 1e-12, name + ": cov/selected_fraction");
        assertEquals(0, m.dualClipFraction(), 0, name + ": clip_ratio/dual");
    }

    static Stream<Arguments> objectives() {
        return Stream.of(Nd4jGrpoObjective.create(), FusedGrpoObjective.create(), ReferenceGrpoObjective.create())
                .flatMap(o -> Stream.of(Arguments.of(o, DataType.DOUBLE), Arguments.of(o, DataType.FLOAT)));
    }

    /**
     * TRL's INTELLECT-2 two-sided clip {@code delta} is the dual clip: {@code twoSidedClip(2)} gives TRL's numbers.
     * ε = 0.2, δ = 2, A = (−1, −1), T = 1, TOKEN_MEAN (w = ½). TRL: {@code coef_1 = min(ρ, δ)},
     * {@code coef_2 = clip(ρ, 0.8, 1.2)}, {@code l = −min(coef_1 A, coef_2 A)}:
     * <pre>
     * row 0: ρ = 3: coef_1 = 2, coef_2 = 1.2, l = −min(−2, −1.2) = 2, gradient 0 (coef_1 is clamped)
     * row 1: ρ = 1.5: coef_1 = 1.5, coef_2 = 1.2, l = −min(−1.5, −1.2) = 1.5, ∂l/∂u = −Aρ = 1.5, ∂/∂ℓ = 0.75
     * loss = ½(2 + 1.5) = 1.75; the cap binds at one token of two: clip_ratio/dual = ½
     * </pre>
     *
     * @param o    the objective
     * @param type the inputs' data type
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("objectives")
    void twoSidedClipIsTrlsDelta(GrpoObjective o, DataType type) {
        GrpoConfig c = GrpoConfig.builder().groupSize(2).beta(0).lossAggregation(LossAggregation.TOKEN_MEAN)
                .twoSidedClip(2).build();
        double[][] logpNew = {{-1}, {-1}};
        double[][] logpOld = {{-1 - Math.log(3)}, {-1 - LN15}};
        ObjectiveInput in = ObjectiveInput.of(Matrices.vector(new double[] {1, 0}, type),
                        Matrices.matrix(logpNew, type), Matrices.matrix(logpOld, type), null,
                        Matrices.matrix(full(1), type))
                .withAdvantages(Matrices.vector(new double[] {-1, -1}, type));
        ObjectiveResult r = o.evaluate(in, c);
        double tol = type == DataType.DOUBLE ? 1e-12 : 2e-6;
        assertEquals(2.0, c.dualClip(), 0.0);
        assertEquals(1.75, r.loss(), tol, "loss");
        double[][] g = Matrices.toMatrix(r.gradient());
        assertEquals(0, g[0][0], tol, "gradient of the capped token");
        assertEquals(0.75, g[1][0], tol, "gradient of the uncapped token");
        assertEquals(0.5, r.metrics().dualClipFraction(), 1e-12, "clip_ratio/dual");
    }

    /**
     * KL-Cov ranks tokens by (A − Ā)(ℓ − ℓ̄); where the advantages are computed from the rewards, a group of equal
     * rewards has A = 0 and the other group's advantages sum to zero, so Ā is 0 up to rounding, and its sign used to
     * decide which zero-advantage tokens were penalised (a FLOAT/DOUBLE disagreement the property suite found). Ā
     * is now taken as 0 there: the zero-advantage tokens have covariance exactly 0 and tie, broken by index.
     * <pre>
     * G = 3, rewards (1, 1, 1 | 0, 0.002, −0.003), T = 1, TOKEN_MEAN (w = 1/6), r = 0.7 (quota ⌊4.2⌋ = 4), κ = 1
     * ℓ = (−1, −3, −1.05, −0.5, −0.5, −0.5): ℓ̄ = −1.0917; A ≈ (0, 0, 0, 0.13, 0.91, −1.04)
     * cov: rows 3, 4 positive, rows 0–2 exactly 0, row 5 negative: rows 3, 4, 0, 1 are selected
     * u = 0.5 on rows 0–2 (0 elsewhere): ∂p/∂ℓ = w κ sign(u) = 1/6 on rows 0 and 1, 0 on row 2 (A = 0, unselected)
     * </pre>
     *
     * @param o    the objective
     * @param type the inputs' data type
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("objectives")
    void klCovTiesZeroAdvantageTokensByIndexWhateverTheRounding(GrpoObjective o, DataType type) {
        GrpoConfig c = base(PolicyLoss.KL_COV).groupSize(3).policyLossParameters(PolicyLossParameters.defaults()
                .withKlCov(0.7, 1)).build();
        double[][] logpNew = {{-1}, {-3}, {-1.05}, {-0.5}, {-0.5}, {-0.5}};
        double[][] logpOld = {{-1.5}, {-3.5}, {-1.55}, {-0.5}, {-0.5}, {-0.5}};
        double[][] mask = {{1}, {1}, {1}, {1}, {1}, {1}};
        ObjectiveInput in = ObjectiveInput.of(Matrices.vector(new double[] {1, 1, 1, 0, 0.002, -0.003}, type),
                Matrices.matrix(logpNew, type), Matrices.matrix(logpOld, type), null, Matrices.matrix(mask, type));
        ObjectiveResult r = o.evaluate(in, c);
        double tol = type == DataType.DOUBLE ? 1e-12 : 2e-6;
        double[][] g = Matrices.toMatrix(r.gradient());
        assertEquals(1.0 / 6, g[0][0], tol, "gradient of row 0 (A = 0, selected)");
        assertEquals(1.0 / 6, g[1][0], tol, "gradient of row 1 (A = 0, selected)");
        assertEquals(0, g[2][0], tol, "gradient of row 2 (A = 0, not selected)");
        assertEquals(4.0 / 6, r.metrics().covSelectedFraction(), 1e-12, "cov/selected_fraction");
    }

    /**
     * A KL-Cov coefficient above the data type's limit (as β's, {@code max / (4 e^20)}: 1.75e29 for FLOAT) is
     * rejected when the configuration meets FLOAT data, naming klCovCoefficient, its value and the type; DOUBLE
     * data admit it.
     *
     * @param o    the objective
     * @param type the inputs' data type
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("objectives")
    void klCovCoefficientTooLargeForTheTypeIsRejected(GrpoObjective o, DataType type) {
        GrpoConfig c = base(PolicyLoss.KL_COV).policyLossParameters(PolicyLossParameters.defaults()
                .withKlCov(0.5, 1e30)).build();
        ObjectiveInput in = ObjectiveInput.of(Matrices.vector(new double[] {1, 0}, type),
                        Matrices.matrix(new double[][] {{-1}, {-2}}, type),
                        Matrices.matrix(new double[][] {{-1.5}, {-2}}, type), null, Matrices.matrix(full(1), type))
                .withAdvantages(Matrices.vector(new double[] {1, -1}, type));
        if (type == DataType.FLOAT) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> o.evaluate(in, c));
            for (String f : new String[] {"klCovCoefficient", "1.0E30", "FLOAT"}) {
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(f),
                        "message should contain '" + f + "': " + e.getMessage());
            }
        } else {
            org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(o.evaluate(in, c).loss()));
        }
    }
}
