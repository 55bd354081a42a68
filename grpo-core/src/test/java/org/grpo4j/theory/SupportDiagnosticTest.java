package org.grpo4j.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.KlEstimator;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link SupportDiagnostic}, {@link PromptSupport} and {@link SupportDiagnosticConfig}: pass@k against exact integer
 * arithmetic, both intervals against their definitions, the intervals' coverage by simulation, the diagnostic run
 * on a tabular policy whose Q is known, verifier failures and every validation message.
 */
class SupportDiagnosticTest {

    /** Standard normal quantiles z_{1 − α/2}, from tables (not from the code under test). */
    private static final double Z_90 = 1.6448536269514722;
    private static final double Z_95 = 1.959963984540054;
    private static final double Z_99 = 2.5758293035489004;

    // ------------------------------------------------------------------------------------------------------------
    // pass@k

    /** 1 − C(n − c, k) / C(n, k) in exact integers, rounded once to double. */
    private static double exactPassAtK(int n, int c, int k) {
        BigInteger miss = binomial(n - c, k);
        BigInteger all = binomial(n, k);
        BigDecimal ratio = new BigDecimal(miss).divide(new BigDecimal(all), MathContext.DECIMAL128);
        return BigDecimal.ONE.subtract(ratio).doubleValue();
    }

    private static BigInteger binomial(int n, int k) {
        if (k < 0 || k > n) {
            return BigInteger.ZERO;
        }
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    @Test
    void passAtKMatchesExactBinomialRatioForEverySmallCase() {
        int checked = 0;
        for (int n = 1; n <= 30; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    assertPassAtK(n, c, k);
                    checked++;
                }
            }
        }
        assertEquals(9920, checked); // Σ_{n ≤ 30} (n + 1)·n
    }

    @Test
    void passAtKMatchesExactBinomialRatioForLargeSampleCounts() {
        for (int n : new int[] {64, 100, 257, 1000}) {
            for (int c : new int[] {0, 1, 2, 3, n / 10, n / 2, n - 5, n - 1, n}) {
                for (int k : new int[] {1, 2, 5, 10, 16, 32, 64, n / 2, n - 1, n}) {
                    if (k >= 1 && k <= n) {
                        assertPassAtK(n, c, k);
                    }
                }
            }
        }
    }

    private static void assertPassAtK(int n, int c, int k) {
        double expected = exactPassAtK(n, c, k);
        double actual = SupportDiagnostic.passAtK(n, c, k);
        // a sum of k rounded logarithms: relative error about k ulps (exact 0 when c = 0)
        assertEquals(expected, actual, 1e-15 * (k + 1) * expected, () -> "passAtK(" + n + ", " + c + ", " + k + ")");
        assertTrue(actual >= 0 && actual <= 1);
    }

    /** Hand values: pass@1 is c/n; pass@2 of 1 in 4 is 1 − C(3,2)/C(4,2) = 1 − 3/6; no success gives 0; n − c &lt; k gives 1. */
    @Test
    void passAtKHandValues() {
        assertEquals(0.3, SupportDiagnostic.passAtK(10, 3, 1), 1e-15);
        assertEquals(0.5, SupportDiagnostic.passAtK(4, 1, 2), 1e-15);
        assertEquals(0.0, SupportDiagnostic.passAtK(50, 0, 50), 0.0);
        assertEquals(1.0, SupportDiagnostic.passAtK(10, 8, 3), 0.0);
        assertEquals(1.0, SupportDiagnostic.passAtK(10, 10, 1), 0.0);
    }

    // ------------------------------------------------------------------------------------------------------------
    // intervals

    /** The textbook Wilson interval (p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). */
    private static double[] textbookWilson(int n, int c, double z) {
        double p = (double) c / n;
        double den = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / den;
        double half = z / den * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    @Test
    void wilsonMatchesTextbookFormula() {
        double[][] levels = {{0.90, Z_90}, {0.95, Z_95}, {0.99, Z_99}};
        for (double[] lz : levels) {
            for (int n : new int[] {1, 2, 3, 7, 20, 64, 500}) {
                for (int c = 0; c <= n; c++) {
                    double[] expected = textbookWilson(n, c, lz[1]);
                    double[] actual = SupportDiagnostic.interval(n, c, lz[0], IntervalMethod.WILSON);
                    String where = "Wilson n=" + n + " c=" + c + " level=" + lz[0];
                    assertEquals(expected[0], actual[0], 1e-12, where);
                    assertEquals(expected[1], actual[1], 1e-12, where);
                    assertBracket(n, c, actual, where);
                }
            }
        }
    }

    /**
     * Clopper–Pearson by its definition: the lower bound p_L solves P(X ≥ c | p_L) = α/2 and the upper bound p_U
     * solves P(X ≤ c | p_U) = α/2, X ~ Binomial(n, p), the tails taken from commons-math's BinomialDistribution.
     */
    @Test
    void clopperPearsonSolvesTheBinomialTailEquations() {
        for (double level : new double[] {0.9, 0.95, 0.99}) {
            double halfAlpha = (1 - level) / 2;
            for (int n : new int[] {1, 2, 5, 10, 37, 100}) {
                for (int c = 0; c <= n; c++) {
                    double[] ci = SupportDiagnostic.interval(n, c, level, IntervalMethod.CLOPPER_PEARSON);
                    String where = "Clopper-Pearson n=" + n + " c=" + c + " level=" + level;
                    assertBracket(n, c, ci, where);
                    if (c > 0) {
                        double upperTail = 1 - new BinomialDistribution(null, n, ci[0]).cumulativeProbability(c - 1);
                        assertEquals(halfAlpha, upperTail, 1e-9, where + " lower");
                    } else {
                        assertEquals(0.0, ci[0], 0.0, where);
                    }
                    if (c < n) {
                        double lowerTail = new BinomialDistribution(null, n, ci[1]).cumulativeProbability(c);
                        assertEquals(halfAlpha, lowerTail, 1e-9, where + " upper");
                    } else {
                        assertEquals(1.0, ci[1], 0.0, where);
                    }
                }
            }
        }
    }

    /**
     * Endpoints in closed form: with c = 0 the Clopper–Pearson upper bound is 1 − (α/2)^{1/n} and Wilson's is
     * z²/(n + z²); with c = n the lower bounds mirror them; the other end is exactly 0 or 1.
     */
    @Test
    void endpointsAtNoSuccessAndAllSuccess() {
        for (int n : new int[] {1, 4, 64}) {
            double[] cp0 = SupportDiagnostic.interval(n, 0, 0.95, IntervalMethod.CLOPPER_PEARSON);
            double[] cpN = SupportDiagnostic.interval(n, n, 0.95, IntervalMethod.CLOPPER_PEARSON);
            double edge = 1 - Math.pow(0.025, 1.0 / n);
            assertArrayEquals(new double[] {0, edge}, cp0, 1e-12);
            assertArrayEquals(new double[] {1 - edge, 1}, cpN, 1e-12);
            assertEquals(0.0, cp0[0], 0.0);
            assertEquals(1.0, cpN[1], 0.0);
            double[] w0 = SupportDiagnostic.interval(n, 0, 0.95, IntervalMethod.WILSON);
            double[] wN = SupportDiagnostic.interval(n, n, 0.95, IntervalMethod.WILSON);
            double wEdge = Z_95 * Z_95 / (n + Z_95 * Z_95);
            assertArrayEquals(new double[] {0, wEdge}, w0, 1e-12);
            assertArrayEquals(new double[] {1 - wEdge, 1}, wN, 1e-12);
            assertEquals(0.0, w0[0], 0.0);
            assertEquals(1.0, wN[1], 0.0);
        }
        // the config's documented default: n = 64, none correct, Clopper–Pearson upper ≈ 0.056
        assertEquals(0.056, SupportDiagnostic.interval(64, 0, 0.95, IntervalMethod.CLOPPER_PEARSON)[1], 5e-4);
    }

    private static void assertBracket(int n, int c, double[] ci, String where) {
        double q = (double) c / n;
        assertEquals(2, ci.length, where);
        assertTrue(0 <= ci[0] && ci[0] <= q && q <= ci[1] && ci[1] <= 1, () -> where + ": " + ci[0] + ", " + ci[1]);
    }

    /**
     * Coverage by simulation: 2,000 experiments of n = 40 Bernoulli(Q) draws (seed fixed) at Q = 0.1, 0.2 and 0.5.
     * Sampling slack: the simulated fraction has standard deviation ≤ sqrt(0.95 · 0.05 / 2000) ≈ 0.0049, so 4 SD
     * is 0.02. Clopper–Pearson's true coverage is ≥ the nominal level for every Q, so it gets only that slack.
     * Wilson's coverage oscillates around the nominal level and dips to about 0.93 at some (n, Q) (Brown, Cai and
     * DasGupta 2001; at n = 40, Q = 0.2 it is 0.928), so it gets 0.03 more. The simulated fraction must also be
     * within 4 SD of the exact coverage Σ_c P(c) 1[Q ∈ interval(c)].
     */
    @Test
    void coverageBySimulation() {
        int n = 40;
        int experiments = 2000;
        double level = 0.95;
        double sd = Math.sqrt(level * (1 - level) / experiments);
        for (IntervalMethod method : IntervalMethod.values()) {
            double[][] byCount = new double[n + 1][];
            for (int c = 0; c <= n; c++) {
                byCount[c] = SupportDiagnostic.interval(n, c, level, method);
            }
            double slack = 4 * sd + (method == IntervalMethod.WILSON ? 0.03 : 0.0);
            for (double q : new double[] {0.1, 0.2, 0.5}) {
                SplittableRandom rng = new SplittableRandom(20260101L + Math.round(q * 1000));
                int covered = 0;
                for (int e = 0; e < experiments; e++) {
                    int c = 0;
                    for (int i = 0; i < n; i++) {
                        if (rng.nextDouble() < q) {
                            c++;
                        }
                    }
                    if (byCount[c][0] <= q && q <= byCount[c][1]) {
                        covered++;
                    }
                }
                double simulated = (double) covered / experiments;
                BinomialDistribution b = new BinomialDistribution(null, n, q);
                double exact = 0;
                for (int c = 0; c <= n; c++) {
                    if (byCount[c][0] <= q && q <= byCount[c][1]) {
                        exact += b.probability(c);
                    }
                }
                String where = method + " Q=" + q + ": simulated " + simulated + ", exact " + exact;
                assertTrue(simulated >= level - slack, where);
                assertEquals(exact, simulated, 4 * Math.sqrt(exact * (1 - exact) / experiments) + 1e-3, where);
                if (method == IntervalMethod.CLOPPER_PEARSON) {
                    assertTrue(exact >= level, where);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // run() on a tabular policy

    /** Output 0 is the correct answer: reward 1 for it, 0 otherwise. */
    private static final RewardVerifier FIRST_IS_CORRECT = RewardVerifier.named("first-is-correct",
            (prompt, completion) -> completion[0] == 0 ? 1.0 : 0.0);

    /** Row x has Q = qs[x] on output 0 and the rest split over outputs 1 and 2. */
    private static TabularPolicy policyWithCorrectMass(double[] qs) {
        double[][] table = new double[qs.length][];
        for (int x = 0; x < qs.length; x++) {
            table[x] = new double[] {qs[x], (1 - qs[x]) * 0.25, (1 - qs[x]) * 0.75};
        }
        return TabularPolicy.ofProbabilities(table);
    }

    private static List<Prompt> prompts(int p) {
        List<Prompt> prompts = new ArrayList<>();
        for (int x = 0; x < p; x++) {
            prompts.add(Prompt.of("row" + x, x));
        }
        return prompts;
    }

    private static int[] counts(List<PromptSupport> result) {
        return result.stream().mapToInt(PromptSupport::correct).toArray();
    }

    @Test
    void runIsDeterministicPerSeedAndRespectsZeroAndFullSupport() {
        double[] qs = {0.0, 1.0, 0.05, 0.3, 0.5, 0.9};
        TabularPolicy policy = policyWithCorrectMass(qs);
        SupportDiagnosticConfig config = SupportDiagnosticConfig.defaults().withSamplesPerPrompt(100);
        List<Prompt> prompts = prompts(qs.length);
        List<PromptSupport> a = SupportDiagnostic.run(policy, FIRST_IS_CORRECT, prompts, SamplingConfig.defaults(),
                config, new SplittableRandom(7));
        List<PromptSupport> b = SupportDiagnostic.run(policy, FIRST_IS_CORRECT, prompts, SamplingConfig.defaults(),
                config, new SplittableRandom(7));
        List<PromptSupport> other = SupportDiagnostic.run(policy, FIRST_IS_CORRECT, prompts,
                SamplingConfig.defaults(), config, new SplittableRandom(8));
        assertArrayEquals(counts(a), counts(b));
        assertEquals(a, b);
        assertNotEquals(List.of(counts(a)[2], counts(a)[3], counts(a)[4], counts(a)[5]),
                List.of(counts(other)[2], counts(other)[3], counts(other)[4], counts(other)[5]));
        assertEquals(qs.length, a.size());
        for (int x = 0; x < qs.length; x++) {
            PromptSupport s = a.get(x);
            assertEquals(prompts.get(x), s.prompt());
            assertEquals(100, s.samples());
            assertEquals(0.95, s.confidenceLevel(), 0.0);
            double[] ci = SupportDiagnostic.interval(100, s.correct(), 0.95, IntervalMethod.CLOPPER_PEARSON);
            assertEquals(ci[0], s.lower(), 0.0);
            assertEquals(ci[1], s.upper(), 0.0);
            // point estimate within 4 binomial standard deviations of Q (exact at Q = 0 and 1)
            assertEquals(qs[x], s.q(), 4 * Math.sqrt(qs[x] * (1 - qs[x]) / 100) + 1e-12, "row " + x);
        }
        assertEquals(0, a.get(0).correct());
        assertTrue(a.get(0).noSuccessObserved());
        assertEquals(0.0, a.get(0).passAtK(64), 0.0);
        assertEquals(100, a.get(1).correct());
        assertFalse(a.get(1).noSuccessObserved());
        assertEquals(1.0, a.get(1).upper(), 0.0);
    }

    /** 40 prompts with Q on a grid, 64 samples each, 95% intervals: at most 10% of the intervals miss Q. */
    @Test
    void intervalsContainTheTrueQForMostPrompts() {
        for (IntervalMethod method : IntervalMethod.values()) {
            double[] qs = new double[40];
            for (int x = 0; x < qs.length; x++) {
                qs[x] = (x + 0.5) / qs.length;
            }
            List<PromptSupport> result = SupportDiagnostic.run(policyWithCorrectMass(qs), FIRST_IS_CORRECT,
                    prompts(qs.length), SamplingConfig.defaults(),
                    SupportDiagnosticConfig.defaults().withIntervalMethod(method), new SplittableRandom(11));
            int contained = 0;
            for (int x = 0; x < qs.length; x++) {
                if (result.get(x).lower() <= qs[x] && qs[x] <= result.get(x).upper()) {
                    contained++;
                }
            }
            assertTrue(contained >= 36, method + ": " + contained + " of 40 intervals contain Q");
        }
    }

    /** The threshold is inclusive: with reward 0.5 for output 1 and threshold 0.5, outputs 0 and 1 both count. */
    @Test
    void successThresholdIsInclusive() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.2, 0.3, 0.5});
        RewardVerifier graded = RewardVerifier.named("graded", (p, c) -> c[0] == 0 ? 1.0 : c[0] == 1 ? 0.5 : 0.0);
        List<PromptSupport> half = SupportDiagnostic.run(policy, graded, prompts(1), SamplingConfig.defaults(),
                SupportDiagnosticConfig.defaults().withSamplesPerPrompt(400).withSuccessThreshold(0.5),
                new SplittableRandom(3));
        List<PromptSupport> one = SupportDiagnostic.run(policy, graded, prompts(1), SamplingConfig.defaults(),
                SupportDiagnosticConfig.defaults().withSamplesPerPrompt(400), new SplittableRandom(3));
        double sd = Math.sqrt(0.25 / 400);
        assertEquals(0.5, half.get(0).q(), 4 * sd);
        assertEquals(0.2, one.get(0).q(), 4 * sd);
        assertTrue(half.get(0).correct() >= one.get(0).correct());
    }

    // ------------------------------------------------------------------------------------------------------------
    // PromptSupport

    @Test
    void promptSupportDerivedQuantities() {
        double[] ci = SupportDiagnostic.interval(10, 3, 0.95, IntervalMethod.WILSON);
        PromptSupport s = new PromptSupport(Prompt.of("p", 1), 10, 3, ci[0], ci[1], 0.95);
        assertEquals(0.3, s.q(), 1e-15);
        // Q^G + (1 − Q)^G at Q = 0.3: G = 2: 0.09 + 0.49; G = 4: 0.0081 + 0.2401
        assertEquals(0.58, s.zeroSignalProbability(2), 1e-15);
        assertEquals(0.2482, s.zeroSignalProbability(4), 1e-15);
        assertFalse(s.noSuccessObserved());
        assertEquals(SupportDiagnostic.passAtK(10, 3, 4), s.passAtK(4), 0.0);
        assertEquals(1 - 35.0 / 210, s.passAtK(4), 1e-15); // 1 − C(7,4)/C(10,4)
        for (GrpoConfig config : List.of(GrpoConfig.defaults(), GrpoConfig.drGrpo(),
                GrpoConfig.builder().klEstimator(KlEstimator.K2).advantageScaling(AdvantageScaling.NONE).build(),
                GrpoConfig.builder().klEstimator(KlEstimator.K2).beta(0.2).build())) {
            assertEquals(FixedPoints.binaryCeiling(config, 0.3), s.ceiling(config), 0.0, config.toString());
            assertTrue(s.ceiling(config) >= 0.3);
        }
        PromptSupport none = new PromptSupport(Prompt.of("q", 2), 8, 0, 0, 0.3, 0.9);
        assertTrue(none.noSuccessObserved());
        assertEquals(1.0, none.zeroSignalProbability(8), 0.0);
        assertEquals(0.0, none.ceiling(GrpoConfig.defaults()), 0.0);
        PromptSupport all = new PromptSupport(Prompt.of("r", 3), 8, 8, 0.7, 1, 0.9);
        assertEquals(1.0, all.zeroSignalProbability(3), 0.0);
        assertEquals(1.0, all.ceiling(GrpoConfig.defaults()), 0.0);
    }

    @Test
    void promptSupportValidation() {
        Prompt p = Prompt.of("p", 1);
        assertMessage(() -> new PromptSupport(null, 4, 1, 0, 1, 0.95), "prompt must not be null");
        assertMessage(() -> new PromptSupport(p, 0, 0, 0, 1, 0.95), "samples must be ≥ 1, was 0");
        assertMessage(() -> new PromptSupport(p, 4, 5, 0, 1, 0.95), "correct must be in [0, samples = 4], was 5");
        assertMessage(() -> new PromptSupport(p, 4, -1, 0, 1, 0.95), "correct must be in [0, samples = 4], was -1");
        assertMessage(() -> new PromptSupport(p, 4, 1, 0.3, 1, 0.95), "[0.3, 1.0]", "c/n = 0.25");
        assertMessage(() -> new PromptSupport(p, 4, 1, 0, 0.2, 0.95), "[0.0, 0.2]", "c/n = 0.25");
        assertMessage(() -> new PromptSupport(p, 4, 1, -0.1, 1, 0.95), "[-0.1, 1.0]");
        assertMessage(() -> new PromptSupport(p, 4, 1, 0, 1.1, 0.95), "[0.0, 1.1]");
        assertMessage(() -> new PromptSupport(p, 4, 1, 0, Double.NaN, 0.95), "NaN");
        assertMessage(() -> new PromptSupport(p, 4, 1, 0, 1, 1.0), "confidenceLevel must be in (0, 1), was 1.0");
        assertMessage(() -> new PromptSupport(p, 4, 1, 0, 1, Double.NaN), "confidenceLevel must be in (0, 1), was NaN");
        PromptSupport s = new PromptSupport(p, 4, 1, 0, 1, 0.95);
        assertMessage(() -> s.zeroSignalProbability(1), "groupSize must be ≥ 2, was 1");
        assertMessage(() -> s.passAtK(0), "k must be in [1, n = 4], was 0");
        assertMessage(() -> s.passAtK(5), "k must be in [1, n = 4], was 5");
        assertMessage(() -> s.ceiling(null), "config must not be null");
    }

    // ------------------------------------------------------------------------------------------------------------
    // verifier failures and validation

    @Test
    void throwingVerifierIsReportedWithNamePromptAndCompletion() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0, 1, 0});
        RewardVerifier broken = RewardVerifier.named("broken-checker", (p, c) -> {
            throw new java.io.IOException("disk gone");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SupportDiagnostic.run(policy,
                broken, List.of(Prompt.of("the-prompt", 0)), SamplingConfig.defaults(),
                SupportDiagnosticConfig.defaults(), new SplittableRandom(1)));
        assertContains(e.getMessage(), "broken-checker", "'the-prompt'", "[1]", "disk gone");
        assertTrue(e.getCause() instanceof java.io.IOException);
    }

    @Test
    void nanVerifierIsReportedWithNamePromptAndCompletion() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0, 0, 1});
        RewardVerifier nan = RewardVerifier.named("nan-checker", (p, c) -> Double.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SupportDiagnostic.run(policy,
                nan, List.of(Prompt.of("nan-prompt", 0)), SamplingConfig.defaults(),
                SupportDiagnosticConfig.defaults(), new SplittableRandom(1)));
        assertContains(e.getMessage(), "nan-checker", "'nan-prompt'", "[2]", "NaN");
        RewardVerifier inf = RewardVerifier.named("inf-checker", (p, c) -> Double.POSITIVE_INFINITY);
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> SupportDiagnostic.run(policy,
                inf, List.of(Prompt.of("inf-prompt", 0)), SamplingConfig.defaults(),
                SupportDiagnosticConfig.defaults(), new SplittableRandom(1)));
        assertContains(e2.getMessage(), "inf-checker", "'inf-prompt'", "[2]", "Infinity");
    }

    @Test
    void passAtKAndIntervalValidation() {
        assertMessage(() -> SupportDiagnostic.passAtK(0, 0, 1), "n must be ≥ 1, was 0");
        assertMessage(() -> SupportDiagnostic.passAtK(5, -1, 1), "c must be in [0, n = 5], was -1");
        assertMessage(() -> SupportDiagnostic.passAtK(5, 6, 1), "c must be in [0, n = 5], was 6");
        assertMessage(() -> SupportDiagnostic.passAtK(5, 2, 0), "k must be in [1, n = 5], was 0");
        assertMessage(() -> SupportDiagnostic.passAtK(5, 2, 6), "k must be in [1, n = 5], was 6");
        IntervalMethod w = IntervalMethod.WILSON;
        assertMessage(() -> SupportDiagnostic.interval(0, 0, 0.95, w), "n must be ≥ 1, was 0");
        assertMessage(() -> SupportDiagnostic.interval(5, 7, 0.95, w), "c must be in [0, n = 5], was 7");
        assertMessage(() -> SupportDiagnostic.interval(5, -2, 0.95, w), "c must be in [0, n = 5], was -2");
        assertMessage(() -> SupportDiagnostic.interval(5, 2, 0, w), "level must be in (0, 1), was 0.0");
        assertMessage(() -> SupportDiagnostic.interval(5, 2, 1, w), "level must be in (0, 1), was 1.0");
        assertMessage(() -> SupportDiagnostic.interval(5, 2, Double.NaN, w), "level must be in (0, 1), was NaN");
        assertMessage(() -> SupportDiagnostic.interval(5, 2, 0.95, null), "method must not be null");
    }

    @Test
    void configValidationAndCopies() {
        SupportDiagnosticConfig d = SupportDiagnosticConfig.defaults();
        assertEquals(new SupportDiagnosticConfig(64, 1.0, 0.95, IntervalMethod.CLOPPER_PEARSON), d);
        assertEquals(10, d.withSamplesPerPrompt(10).samplesPerPrompt());
        assertEquals(0.5, d.withSuccessThreshold(0.5).successThreshold(), 0.0);
        assertEquals(0.9, d.withConfidenceLevel(0.9).confidenceLevel(), 0.0);
        assertEquals(IntervalMethod.WILSON, d.withIntervalMethod(IntervalMethod.WILSON).intervalMethod());
        assertMessage(() -> d.withSamplesPerPrompt(0), "samplesPerPrompt must be ≥ 1, was 0");
        assertMessage(() -> d.withSuccessThreshold(Double.NaN), "successThreshold must be finite, was NaN");
        assertMessage(() -> d.withSuccessThreshold(Double.NEGATIVE_INFINITY),
                "successThreshold must be finite, was -Infinity");
        assertMessage(() -> d.withConfidenceLevel(0), "confidenceLevel must be in (0, 1), was 0.0");
        assertMessage(() -> d.withConfidenceLevel(1.5), "confidenceLevel must be in (0, 1), was 1.5");
        assertMessage(() -> d.withIntervalMethod(null), "intervalMethod must not be null");
    }

    @Test
    void runValidation() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.5, 0.5});
        List<Prompt> ps = prompts(1);
        SamplingConfig s = SamplingConfig.defaults();
        SupportDiagnosticConfig c = SupportDiagnosticConfig.defaults();
        SplittableRandom rng = new SplittableRandom(1);
        RewardVerifier v = FIRST_IS_CORRECT;
        assertMessage(() -> SupportDiagnostic.run(null, v, ps, s, c, rng), "policy must not be null");
        assertMessage(() -> SupportDiagnostic.run(policy, null, ps, s, c, rng), "verifier must not be null");
        assertMessage(() -> SupportDiagnostic.run(policy, v, null, s, c, rng), "prompts must not be null");
        assertMessage(() -> SupportDiagnostic.run(policy, v, ps, null, c, rng), "sampling must not be null");
        assertMessage(() -> SupportDiagnostic.run(policy, v, ps, s, null, rng), "config must not be null");
        assertMessage(() -> SupportDiagnostic.run(policy, v, ps, s, c, null), "rng must not be null");
        assertMessage(() -> SupportDiagnostic.run(policy, v, List.of(), s, c, rng), "prompts must not be empty");
        List<Prompt> withNull = new ArrayList<>(ps);
        withNull.add(null);
        assertMessage(() -> SupportDiagnostic.run(policy, v, withNull, s, c, rng), "prompts[1] must not be null");
        // a prompt the policy does not know is rejected by Policy.sample
        assertMessage(() -> SupportDiagnostic.run(policy, v, List.of(Prompt.of("x", 9)), s, c, rng), "[9]");
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertContains(e.getMessage(), parts);
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message != null && message.contains(part), () -> "'" + message + "' should contain '" + part
                    + "'");
        }
    }
}
