package org.grpo4j.theory;

import static net.jqwik.api.Tuple.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.GrpoConfig;
import org.grpo4j.KlEstimator;
import org.grpo4j.testing.ConfigVariant;
import org.grpo4j.testing.TheoryArbitraries;

/**
 * Suite 7 of {@code docs/theory.md}: with a binary reward the success ceiling of KL-regularised optimisation
 * approaches Q at both ends, with the rates written out.
 * <ul>
 *   <li>forward KL (the paper; GRPO's k2 fixed point): {@code gain = Q(1−Q)(e^s−1)/(1 + Q(e^s−1))} with
 *       {@code 0 ≤ (e^s − 1) − gain/Q ≤ e^s(e^s − 1)·Q} and
 *       {@code 0 ≤ (1 − e^{−s}) − gain/(1−Q) ≤ (1 − e^{−s})(1 − Q)}, largest gain {@code tanh(s/4)};</li>
 *   <li>reverse KL (GRPO's k3 fixed point): {@code 0 ≤ s/(1+s) − gain/(1−Q) ≤ s(1−Q)/(1+s)} as Q → 1; as Q → 0
 *       {@code 0 ≤ s/(1−s) − gain/Q ≤ sQ/(1−s)³} if s &lt; 1, {@code p = √Q} if s = 1, but
 *       {@code 0 ≤ p − (1 − 1/s) ≤ Q/(s − 1)} if s &gt; 1: the k3 ceiling does <em>not</em> vanish as Q → 0;</li>
 *   <li>every fixed point of iterated GRPO ({@link FixedPoints#binaryCeiling}) lies between Q and the ceiling of
 *       the strength {@code h_max/β}, so with k2 its gain vanishes at both ends for every advantage scaling.</li>
 * </ul>
 * s is the strength (log-odds shift): 1/β for the paper, c/β for GRPO without std scaling.
 */
class BinaryRewardBoundProperties {

    @Provide
    Arbitrary<Double> nearZero() {
        return Arbitraries.doubles().between(-12, -2).map(e -> Math.pow(10, e));
    }

    @Provide
    Arbitrary<Double> strengths() {
        return Arbitraries.frequencyOf(of(1, Arbitraries.doubles().between(0.01, 1)),
                of(2, Arbitraries.doubles().between(1, 25)));
    }

    @Provide
    Arbitrary<double[][]> binaryRows() {
        return Arbitraries.integers().between(2, TheoryArbitraries.MAX_OUTPUTS)
                .flatMap(k -> TheoryArbitraries.binaryRows(k, TheoryArbitraries.correctMasses()));
    }

    @Provide
    Arbitrary<GrpoConfig> klConfigs() {
        List<ConfigVariant> v = ConfigVariant.classic().stream()
                .filter(x -> x.positiveBeta() && x.kl() != KlEstimator.K1).toList();
        return TheoryArbitraries.configs(v, 8, 0.05, 2.0);
    }

    /**
     * {@link BinaryRewardBound#ceiling} is the success probability of the forward-KL optimum of the binary problem,
     * and {@link BinaryRewardBound#reverseKlCeiling} that of the reverse-KL optimum, for every split of the classes
     * into outputs and any outputs outside the support.
     *
     * @param row  {@code {reference, rewards}}
     * @param beta β
     */
    @Property(tries = 300)
    void theCeilingsAreTheSuccessProbabilitiesOfTheOptima(@ForAll("binaryRows") double[][] row,
                                                          @ForAll @DoubleRange(min = 0.02, max = 5) double beta) {
        double[] ref = row[0];
        double[] r = row[1];
        double q = success(ref, r);
        double forward = success(KlRegularizedOptimum.forwardKl(ref, r, beta), r);
        double reverse = success(KlRegularizedOptimum.reverseKl(ref, r, beta), r);
        assertEquals(BinaryRewardBound.ceiling(q, beta), forward, 1e-12);
        assertEquals(BinaryRewardBound.reverseKlCeiling(q, 1 / beta), reverse, 1e-9);
        assertTrue(forward >= q - 1e-15 && reverse >= q - 1e-15);
        collect(q);
    }

    /**
     * Forward KL, Q → 0: {@code 0 ≤ (e^s − 1) − gain/Q ≤ e^s(e^s − 1)·Q}, so the gain vanishes linearly with slope
     * {@code e^{1/β} − 1} ({@link BinaryRewardBound#gainSlopeAtZero}).
     *
     * @param q Q in [1e-12, 1e-2]
     * @param s the strength
     */
    @Property(tries = 300)
    void asQGoesToZeroTheForwardGainVanishesLinearly(@ForAll("nearZero") double q, @ForAll("strengths") double s) {
        double slope = Math.expm1(s);
        double deficit = slope - BinaryRewardBound.forwardKlGain(q, s) / q;
        assertTrue(deficit >= -1e-9 * slope, () -> "deficit " + deficit);
        assertTrue(deficit <= Math.exp(s) * slope * q * (1 + 1e-9) + 1e-9 * slope,
                () -> "deficit " + deficit + " above e^s(e^s − 1)Q = " + Math.exp(s) * slope * q);
        assertEquals(slope, BinaryRewardBound.gainSlopeAtZero(1 / s), 1e-12 * slope);
    }

    /**
     * Forward KL, Q → 1: {@code 0 ≤ (1 − e^{−s}) − gain/(1 − Q) ≤ (1 − e^{−s})(1 − Q)}.
     *
     * @param u 1 − Q in [1e-12, 1e-2]
     * @param s the strength
     */
    @Property(tries = 300)
    void asQGoesToOneTheForwardGainVanishesLinearly(@ForAll("nearZero") double u, @ForAll("strengths") double s) {
        double q = 1 - u;
        double rest = 1 - q; // the exact 1 − Q of the double q
        double slope = -Math.expm1(-s);
        double deficit = slope - BinaryRewardBound.forwardKlGain(q, s) / rest;
        assertTrue(deficit >= -1e-9 * slope, () -> "deficit " + deficit);
        assertTrue(deficit <= slope * rest * (1 + 1e-9) + 1e-9 * slope, () -> "deficit " + deficit);
        assertEquals(slope, BinaryRewardBound.gainSlopeAtOne(1 / s), 1e-12);
    }

    /**
     * The forward gain is at most {@code tanh(s/4)}, reached at {@code logit Q = −s/2}.
     *
     * @param q    Q
     * @param beta β
     */
    @Property(tries = 300)
    void theForwardGainIsLargestAtLogitMinusHalfTheStrength(@ForAll @DoubleRange(min = 0, max = 1) double q,
                                                             @ForAll @DoubleRange(min = 0.04, max = 20) double beta) {
        double max = BinaryRewardBound.maxGain(beta);
        assertTrue(BinaryRewardBound.gain(q, beta) <= max + 1e-15);
        assertEquals(max, BinaryRewardBound.gain(BinaryRewardBound.argMaxGain(beta), beta), 1e-12);
    }

    /**
     * Reverse KL (k3), Q → 1: {@code 0 ≤ s/(1+s) − gain/(1 − Q) ≤ s(1 − Q)/(1 + s)}.
     *
     * @param u 1 − Q
     * @param s the strength
     */
    @Property(tries = 300)
    void asQGoesToOneTheReverseGainVanishesLinearly(@ForAll("nearZero") double u, @ForAll("strengths") double s) {
        double q = 1 - u;
        double rest = 1 - q;
        double slope = s / (1 + s);
        double deficit = slope - BinaryRewardBound.reverseKlGain(q, s) / rest;
        assertTrue(deficit >= -1e-6 * slope, () -> "deficit " + deficit);
        assertTrue(deficit <= slope * rest * (1 + 1e-6) + 1e-6 * slope, () -> "deficit " + deficit);
    }

    /**
     * Reverse KL (k3), Q → 0 with s &lt; 1: {@code 0 ≤ s/(1−s) − gain/Q ≤ sQ/(1−s)³}.
     *
     * @param q Q
     * @param s the strength, below 1
     */
    @Property(tries = 300)
    void belowStrengthOneTheReverseGainVanishesLinearlyAsQGoesToZero(
            @ForAll("nearZero") double q, @ForAll @DoubleRange(min = 0.01, max = 0.9) double s) {
        double slope = s / (1 - s);
        double deficit = slope - BinaryRewardBound.reverseKlGain(q, s) / q;
        assertTrue(deficit >= -1e-6 * slope, () -> "deficit " + deficit);
        assertTrue(deficit <= s * q / Math.pow(1 - s, 3) * (1 + 1e-6) + 1e-6 * slope, () -> "deficit " + deficit);
    }

    /**
     * Reverse KL (k3), Q → 0 with s &gt; 1: the ceiling tends to {@code 1 − 1/s}, with
     * {@code 0 ≤ p − (1 − 1/s) ≤ Q/(s − 1)} — the k3 fixed point moves mass onto a correct class however small
     * its base mass is (but not onto one of base mass exactly 0); at s = 1, {@code p = √Q}.
     *
     * @param q Q
     * @param s the strength, above 1
     */
    @Property(tries = 300)
    void aboveStrengthOneTheReverseCeilingDoesNotVanishAsQGoesToZero(
            @ForAll("nearZero") double q, @ForAll @DoubleRange(min = 1.1, max = 25) double s) {
        double limit = 1 - 1 / s;
        double p = BinaryRewardBound.reverseKlCeiling(q, s);
        assertTrue(p - limit >= -1e-12, () -> "p " + p + " below 1 − 1/s = " + limit);
        assertTrue(p - limit <= q / (s - 1) * (1 + 1e-6) + 1e-12, () -> "p " + p + " too far above " + limit);
        assertEquals(Math.sqrt(q), BinaryRewardBound.reverseKlCeiling(q, 1.0), 1e-12 * Math.sqrt(q));
        assertEquals(0.0, BinaryRewardBound.reverseKlCeiling(0, s), "no correct output in the support");
    }

    /**
     * Every fixed point of iterated GRPO with a KL term keeps Q = 0 at 0 and Q = 1 at 1, and lies in
     * {@code [Q, ceiling(Q, h_max/β)]} — the forward ceiling for k2, the reverse one for k3 — where
     * {@code h_max} bounds the advantage gap {@code ā(correct) − ā(incorrect)} ({@link
     * ExpectedAdvantage#binaryScaleBound}): with k2 the gain vanishes as Q → 0 and Q → 1 for every scaling.
     *
     * @param config the configuration (k2 or k3, β &gt; 0)
     * @param q      Q
     */
    @Property(tries = 300)
    void everyFixedPointCeilingLiesBetweenQAndTheBoundOfItsLargestStrength(
            @ForAll("klConfigs") GrpoConfig config, @ForAll("masses") double q) {
        double ceiling = FixedPoints.binaryCeiling(config, q);
        double s = ExpectedAdvantage.binaryScaleBound(config) / config.beta();
        double bound = config.klEstimator() == KlEstimator.K2 ? BinaryRewardBound.forwardKlCeiling(q, s)
                : BinaryRewardBound.reverseKlCeiling(q, s);
        assertTrue(ceiling >= q - 1e-15, () -> "ceiling " + ceiling + " below Q " + q);
        assertTrue(ceiling <= bound + 1e-9, () -> "ceiling " + ceiling + " above the bound " + bound + " for " + config);
        if (q == 0 || q == 1) {
            assertEquals(q, ceiling);
        }
        collect(q);
        Statistics.label("scaling").collect(config.advantageScaling());
    }

    @Provide
    Arbitrary<Double> masses() {
        return TheoryArbitraries.correctMasses();
    }

    private static double success(double[] p, double[] r) {
        double s = 0;
        for (int j = 0; j < p.length; j++) {
            s += r[j] >= 1 ? p[j] : 0;
        }
        return Math.min(1, s);
    }

    private static void collect(double q) {
        String bucket = q == 0 ? "Q = 0" : q == 1 ? "Q = 1" : q < 0.01 ? "Q near 0" : q > 0.99 ? "Q near 1" : "between";
        Statistics.label("Q").collect(bucket);
        Statistics.label("Q").coverage(cov -> {
            cov.check("Q = 0").percentage(p -> p >= 2);
            cov.check("Q = 1").percentage(p -> p >= 2);
            cov.check("Q near 0").percentage(p -> p >= 5);
            cov.check("Q near 1").percentage(p -> p >= 5);
        });
    }
}
