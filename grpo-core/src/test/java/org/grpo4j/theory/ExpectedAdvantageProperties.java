package org.grpo4j.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.testing.ConfigVariant;
import org.grpo4j.testing.ReferenceGrpoObjective;
import org.grpo4j.testing.TheoryArbitraries;

/**
 * The expected advantage {@code ā(y) = E[A_1 | y_1 = y]} of {@link ExpectedAdvantage} ({@code docs/theory.md},
 * section 2), against an independent brute force over ordered groups scored by {@link ReferenceGrpoObjective}'s
 * advantages, and its closed forms: {@code Σ_y pi(y) ā(y) = 0}; without std scaling {@code ā = c·(r − E_pi r)};
 * for a binary reward {@code ā(y) = h(p)·(r(y) − p)} with {@code h ≤} {@link ExpectedAdvantage#binaryScaleBound}.
 */
class ExpectedAdvantageProperties {

    @Provide
    Arbitrary<GrpoConfig> configs() {
        return TheoryArbitraries.configs(ConfigVariant.classic(), 4, 0.05, 1.0);
    }

    @Provide
    Arbitrary<double[][]> rows() {
        return Arbitraries.integers().between(1, 4).flatMap(TheoryArbitraries::generalRows);
    }

    /**
     * ā(y) for every output (also outside pi's support) equals the average over all ordered completions
     * {@code (y_2, …, y_G)} of the group's first advantage, weighted by their probability.
     *
     * @param config the configuration (BATCH_STD is a batch of one group here)
     * @param row    {@code {pi, rewards}}
     */
    @Property(tries = 200)
    void theExpectedAdvantageIsTheAverageOverEveryOrderedGroup(@ForAll("configs") GrpoConfig config,
                                                               @ForAll("rows") double[][] row) {
        double[] pi = row[0];
        double[] r = row[1];
        int g = config.groupSize();
        double[] abar = ExpectedAdvantage.of(pi, r, config);
        for (int y = 0; y < pi.length; y++) {
            double sum = 0;
            int[] others = new int[g - 1];
            while (true) {
                double w = 1;
                double[] rewards = new double[g];
                rewards[0] = r[y];
                for (int i = 0; i < g - 1; i++) {
                    w *= pi[others[i]];
                    rewards[i + 1] = r[others[i]];
                }
                if (w > 0) {
                    sum += w * ReferenceGrpoObjective.advantages(rewards, config)[0];
                }
                int i = g - 2;
                while (i >= 0 && ++others[i] == pi.length) {
                    others[i] = 0;
                    i--;
                }
                if (i < 0) {
                    break;
                }
            }
            assertEquals(sum, abar[y], 1e-12 * (1 + Math.abs(sum)), "output " + y);
        }
        Statistics.label("G = 2").collect(g == 2);
        Statistics.label("scaling").collect(config.advantageScaling());
    }

    /**
     * The expected advantage is centred under pi, and without std scaling it is {@code c·(r − E_pi r)}, c = (G−1)/G
     * for the group mean and 1 for leave-one-out.
     *
     * @param config the configuration
     * @param row    {@code {pi, rewards}}
     */
    @Property(tries = 300)
    void theExpectedAdvantageIsCentredAndUnscaledItIsAFixedFractionOfTheCentredReward(
            @ForAll("configs") GrpoConfig config, @ForAll("rows") double[][] row) {
        double[] pi = row[0];
        double[] r = row[1];
        double[] abar = ExpectedAdvantage.of(pi, r, config);
        double centre = 0;
        double scale = 0;
        for (int y = 0; y < pi.length; y++) {
            centre += pi[y] * abar[y];
            scale = Math.max(scale, Math.abs(abar[y]));
        }
        assertEquals(0.0, centre, 1e-12 * (1 + scale));
        if (config.advantageScaling() == AdvantageScaling.NONE) {
            double c = config.advantageBaseline() == AdvantageBaseline.GROUP_MEAN
                    ? (config.groupSize() - 1.0) / config.groupSize() : 1.0;
            double mean = KlRegularizedOptimum.expectation(pi, r);
            for (int y = 0; y < pi.length; y++) {
                assertEquals(c * (r[y] - mean), abar[y], 1e-12 * (1 + Math.abs(r[y] - mean)), "output " + y);
            }
        }
    }

    /**
     * For a binary reward with success probability p, {@code ā(y) = h(p)(r(y) − p)} with
     * {@code 0 ≤ h(p) ≤ h_max}; with std scaling {@code h(0) = h(1) = c/(1/√G + ε)}, and without it h is the
     * constant c.
     *
     * @param config the configuration
     * @param p      the success probability
     */
    @Property(tries = 300)
    void theBinaryExpectedAdvantageIsTheScaleTimesTheCentredReward(@ForAll("configs") GrpoConfig config,
                                                                    @ForAll @DoubleRange(min = 0, max = 1) double p) {
        double[] pi = {p, 1 - p};
        double[] r = {1, 0};
        double[] abar = ExpectedAdvantage.of(pi, r, config);
        double h = ExpectedAdvantage.binaryScale(p, config);
        assertEquals(h * (1 - p), abar[0], 1e-12 * (1 + h));
        assertEquals(-h * p, abar[1], 1e-12 * (1 + h));
        assertTrue(h >= 0 && h <= ExpectedAdvantage.binaryScaleBound(config) + 1e-12,
                () -> "h(" + p + ") = " + h + " outside [0, " + ExpectedAdvantage.binaryScaleBound(config) + "]");
        int g = config.groupSize();
        double c = config.advantageBaseline() == AdvantageBaseline.GROUP_MEAN ? (g - 1.0) / g : 1.0;
        double atEdge = config.advantageScaling() == AdvantageScaling.NONE ? c
                : c / (1 / Math.sqrt(g) + config.advantageEpsilon());
        assertEquals(atEdge, ExpectedAdvantage.binaryScale(0, config), 1e-12 * atEdge);
        assertEquals(atEdge, ExpectedAdvantage.binaryScale(1, config), 1e-12 * atEdge);
        Statistics.label("scaling").collect(config.advantageScaling());
    }
}
