package org.grpo4j.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToDoubleFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.KlEstimator;
import org.grpo4j.testing.ConfigVariant;
import org.grpo4j.testing.Matrices;
import org.grpo4j.testing.TheoryArbitraries;

/**
 * The expected-gradient facts of {@code docs/theory.md} (sections 2–4), checked on the theory's formulas against
 * finite differences of the quantities they claim to differentiate; {@code ReweightingContract} checks that an
 * objective's exact expected update equals these formulas.
 * <ul>
 *   <li>the expected KL gradient of k1 is 0, of k2 is {@code ∇_θ KL(pi‖pi_ref)}, of k3 is
 *       {@code ∇_θ KL(pi_ref‖pi)} (= {@code pi − pi_ref} on a common support);</li>
 *   <li>without std scaling the expected policy-gradient step is {@code c · ∇_θ E_pi[r]}, c = (G−1)/G for the
 *       group mean (Dr. GRPO) and 1 for leave-one-out;</li>
 *   <li>{@link FixedPoints#solve} returns a stationary point of the expected update for every estimator and
 *       scaling (two reward values and more), inside pi_ref's support with its within-class ratios, and the binary
 *       ceiling is that fixed point's success mass, non-decreasing in Q.</li>
 * </ul>
 */
class FixedPointsProperties {

    /** A base row, its rewards and a policy on the same support. */
    record Point(double[] reference, double[] rewards, double[] pi) {
        @Override
        public String toString() {
            return "Point[reference=" + java.util.Arrays.toString(reference) + ", rewards="
                    + java.util.Arrays.toString(rewards) + ", pi=" + java.util.Arrays.toString(pi) + "]";
        }
    }

    @Provide
    Arbitrary<Point> points() {
        return Arbitraries.integers().between(1, TheoryArbitraries.MAX_OUTPUTS)
                .flatMap(TheoryArbitraries::generalRows)
                .flatMap(row -> TheoryArbitraries.perturbed(row[0]).map(pi -> new Point(row[0], row[1], pi)));
    }

    @Provide
    Arbitrary<GrpoConfig> klConfigs() {
        List<ConfigVariant> v = ConfigVariant.classic().stream()
                .filter(x -> x.positiveBeta() && x.kl() != KlEstimator.K1).toList();
        return TheoryArbitraries.configs(v, 5, 0.05, 2.0);
    }

    @Provide
    Arbitrary<GrpoConfig> unscaledConfigs() {
        List<ConfigVariant> v = ConfigVariant.classic().stream().filter(x -> x.scaling() == AdvantageScaling.NONE).toList();
        return TheoryArbitraries.configs(v, 8, 0.05, 2.0);
    }

    @Provide
    Arbitrary<double[][]> binaryRows() {
        return Arbitraries.integers().between(2, TheoryArbitraries.MAX_OUTPUTS)
                .flatMap(k -> TheoryArbitraries.binaryRows(k, TheoryArbitraries.correctMasses()));
    }

    @Provide
    Arbitrary<double[]> massPairs() {
        return Combinators.combine(TheoryArbitraries.correctMasses(), TheoryArbitraries.correctMasses())
                .as((a, b) -> new double[] {Math.min(a, b), Math.max(a, b)});
    }

    /**
     * k1's expected gradient is 0; k2's is the gradient of {@code KL(pi‖pi_ref)} and k3's that of
     * {@code KL(pi_ref‖pi)} with respect to the logits, by central differences.
     *
     * @param p the point
     */
    @Property(tries = 200)
    void eachEstimatorsExpectedGradientIsTheGradientOfItsDivergence(@ForAll("points") Point p) {
        double[] k1 = FixedPoints.klGradient(KlEstimator.K1, p.pi(), p.reference());
        double[] k2 = FixedPoints.klGradient(KlEstimator.K2, p.pi(), p.reference());
        double[] k3 = FixedPoints.klGradient(KlEstimator.K3, p.pi(), p.reference());
        double[] forward = numericalGradient(p.pi(), pi -> KlRegularizedOptimum.kl(pi, p.reference()));
        double[] reverse = numericalGradient(p.pi(), pi -> KlRegularizedOptimum.kl(p.reference(), pi));
        for (int j = 0; j < k1.length; j++) {
            assertEquals(0.0, k1[j], 1e-15, "k1 at output " + j);
            assertEquals(forward[j], k2[j], 1e-6, "k2 at output " + j + " for " + p);
            assertEquals(reverse[j], k3[j], 1e-6, "k3 at output " + j + " for " + p);
            assertEquals(p.pi()[j] - p.reference()[j], k3[j], 1e-15, "k3 = pi − pi_ref at output " + j);
        }
        Statistics.label("pi = pi_ref").collect(java.util.Arrays.equals(p.pi(), p.reference()));
    }

    /**
     * Without std scaling, {@code −}(the expected loss gradient at β = 0) is {@code c · ∇_θ E_pi[r]}, checked
     * against central differences of {@code E_pi[r]}: Dr. GRPO's expected step is (G−1)/G times the exact policy
     * gradient, RLOO's is the policy gradient itself.
     *
     * @param config the configuration (β is ignored)
     * @param p      the point
     */
    @Property(tries = 200)
    void withoutStdScalingTheExpectedStepIsAFixedFractionOfThePolicyGradient(
            @ForAll("unscaledConfigs") GrpoConfig config, @ForAll("points") Point p) {
        GrpoConfig noKl = config.toBuilder().beta(0).build();
        double c = config.advantageBaseline() == AdvantageBaseline.GROUP_MEAN
                ? (config.groupSize() - 1.0) / config.groupSize() : 1.0;
        assertEquals(c, FixedPoints.unscaledAdvantageFactor(config), 1e-15);
        double[] g = FixedPoints.expectedGradient(noKl, p.pi(), p.reference(), p.rewards());
        double[] pg = numericalGradient(p.pi(), pi -> KlRegularizedOptimum.expectation(pi, p.rewards()));
        for (int j = 0; j < g.length; j++) {
            assertEquals(c * pg[j], -g[j], 1e-6, "output " + j + " for " + p);
        }
        Statistics.label("baseline").collect(config.advantageBaseline());
        Statistics.label("G = 2").collect(config.groupSize() == 2);
    }

    /**
     * {@link FixedPoints#solve} is a stationary point of the expected update (residual ≤ 1e-8), keeps pi_ref's support
     * and its within-class ratios, for k2 and k3 with every scaling and baseline and any rewards.
     *
     * @param config the configuration
     * @param p      the point (its pi is not used)
     */
    @Property(tries = 200)
    void solvedFixedPointsAreStationaryAndKeepTheSupportAndTheClassRatios(@ForAll("klConfigs") GrpoConfig config,
                                                                         @ForAll("points") Point p) {
        FixedPoint fp = FixedPoints.solve(config, p.reference(), p.rewards());
        double[] pi = fp.probabilities();
        assertTrue(FixedPoints.residual(config, pi, p.reference(), p.rewards()) <= 1e-8,
                () -> "residual " + FixedPoints.residual(config, pi, p.reference(), p.rewards()) + " at " + fp);
        double[] ref = p.reference();
        for (int j = 0; j < pi.length; j++) {
            assertEquals(ref[j] == 0, pi[j] == 0, "support at output " + j);
            for (int k = j + 1; k < pi.length; k++) {
                if (ref[j] > 0 && ref[k] > 0 && p.rewards()[j] == p.rewards()[k]) {
                    assertEquals(ref[j] / ref[k], pi[j] / pi[k], 1e-8 * ref[j] / ref[k], "class ratio " + j + "/" + k);
                }
            }
        }
        Statistics.label("kind").collect(fp.kind());
        Statistics.label("distinct rewards on the support").collect(distinctOnSupport(p));
    }

    /**
     * k1 (zero expected KL gradient) and β = 0 have no interior fixed point: {@code NO_INTERIOR}, the β → 0 limit,
     * and a binary ceiling of 1 for any Q &gt; 0.
     *
     * @param p the point
     * @param q Q
     */
    @Property(tries = 100)
    void withoutAnEffectiveKlTermThereIsNoInteriorFixedPoint(@ForAll("points") Point p,
                                                             @ForAll("masses") double q) {
        for (GrpoConfig config : new GrpoConfig[] {GrpoConfig.builder().klEstimator(KlEstimator.K1).beta(0.1).build(),
                GrpoConfig.builder().beta(0).build()}) {
            FixedPoint fp = FixedPoints.solve(config, p.reference(), p.rewards());
            assertEquals(FixedPointKind.NO_INTERIOR, fp.kind());
            assertEquals(java.util.Arrays.toString(KlRegularizedOptimum.forwardKl(p.reference(), p.rewards(), 0)),
                    java.util.Arrays.toString(fp.probabilities()));
            assertEquals(q == 0 ? 0.0 : 1.0, FixedPoints.binaryCeiling(config, q));
        }
    }

    /**
     * For binary rewards, {@link FixedPoints#binaryCeiling} is the success mass of {@link FixedPoints#solve}
     * however the classes split into outputs.
     *
     * @param config the configuration
     * @param row    {@code {reference, rewards}}
     */
    @Property(tries = 200)
    void theBinaryCeilingIsTheFixedPointsSuccessMass(@ForAll("klConfigs") GrpoConfig config,
                                                     @ForAll("binaryRows") double[][] row) {
        double q = 0;
        for (int j = 0; j < row[0].length; j++) {
            q += row[1][j] >= 1 ? row[0][j] : 0;
        }
        q = Math.min(1, q);
        double mass = FixedPoints.solve(config, row[0], row[1]).massAtLeast(row[1], 1);
        assertEquals(FixedPoints.binaryCeiling(config, q), mass, 1e-9);
        Statistics.label("Q").collect(q == 0 ? "0" : q == 1 ? "1" : q < 0.01 ? "near 0" : q > 0.99 ? "near 1" : "between");
    }

    /**
     * The binary ceiling is non-decreasing in Q for every configuration: more base mass never lowers it.
     *
     * @param config the configuration
     * @param qs     {@code {Q1, Q2}} with Q1 ≤ Q2
     */
    @Property(tries = 200)
    void theBinaryCeilingIsNonDecreasingInQ(@ForAll("klConfigs") GrpoConfig config, @ForAll("massPairs") double[] qs) {
        double low = FixedPoints.binaryCeiling(config, qs[0]);
        double high = FixedPoints.binaryCeiling(config, qs[1]);
        assertTrue(low <= high + 1e-12, () -> "ceiling(" + qs[0] + ") = " + low + " > ceiling(" + qs[1] + ") = " + high);
    }

    @Provide
    Arbitrary<Double> masses() {
        return TheoryArbitraries.correctMasses();
    }

    // --------------------------------------------------------------------------------------------------- helpers

    /** Central differences (h = 1e-6) with respect to the logits of pi's support; 0 outside it. */
    private static double[] numericalGradient(double[] pi, ToDoubleFunction<double[]> f) {
        int k = pi.length;
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            z[j] = pi[j] > 0 ? Math.log(pi[j]) : Double.NEGATIVE_INFINITY;
        }
        double h = 1e-6;
        double[] g = new double[k];
        for (int j = 0; j < k; j++) {
            if (pi[j] == 0) {
                continue;
            }
            double[] plus = z.clone();
            double[] minus = z.clone();
            plus[j] += h;
            minus[j] -= h;
            g[j] = (f.applyAsDouble(Matrices.softmax(plus)) - f.applyAsDouble(Matrices.softmax(minus))) / (2 * h);
        }
        return g;
    }

    private static int distinctOnSupport(Point p) {
        return (int) java.util.stream.IntStream.range(0, p.reference().length).filter(j -> p.reference()[j] > 0)
                .mapToDouble(j -> p.rewards()[j]).distinct().count();
    }
}
