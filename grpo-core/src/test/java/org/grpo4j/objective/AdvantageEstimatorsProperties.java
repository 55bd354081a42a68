package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.StdEstimator;

/**
 * Every advantage estimator against the naive reference {@link AdvantageReference}, and the invariants of
 * REINFORCE++'s batch whitening and of GDPO.
 */
class AdvantageEstimatorsProperties {

    /** A configuration, N rewards, B greedy rewards (used only by GREEDY). */
    record Case(GrpoConfig config, double[] rewards, double[] greedy) {
        @Override
        public String toString() {
            return "Case[" + config + ", rewards=" + Arrays.toString(rewards) + ", greedy=" + Arrays.toString(greedy)
                    + "]";
        }

        double[] greedyOrNull() {
            return config.advantageBaseline() == AdvantageBaseline.GREEDY ? greedy : null;
        }
    }

    /** K verifiers' scores with abstentions (NaN in {@code withNan}), weights and a configuration. */
    record Scores(GrpoConfig config, double[][] scores, boolean[][] scored, double[] weights) {
        @Override
        public String toString() {
            return "Scores[G=" + config.groupSize() + ", eps=" + config.advantageEpsilon() + ", std="
                    + config.advantageStd() + ", scores=" + Arrays.deepToString(scores) + ", scored="
                    + Arrays.deepToString(scored) + ", weights=" + Arrays.toString(weights) + "]";
        }

        double[][] withNan() {
            double[][] out = new double[scores.length][];
            for (int k = 0; k < scores.length; k++) {
                out[k] = scores[k].clone();
                for (int i = 0; i < out[k].length; i++) {
                    if (!scored[k][i]) {
                        out[k][i] = Double.NaN;
                    }
                }
            }
            return out;
        }
    }

    private static Arbitrary<Double> reward() {
        // ties are common (verifiable rewards are often 0/1), so all-equal groups occur
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(0.0, 1.0, -1.0, 0.5)),
                Tuple.of(4, Arbitraries.doubles().between(-2, 2)));
    }

    private static Arbitrary<GrpoConfig> configs() {
        return Combinators.combine(Arbitraries.integers().between(2, 5), Arbitraries.of(AdvantageBaseline.class),
                Arbitraries.of(AdvantageScaling.class), Arbitraries.of(StdEstimator.class),
                Arbitraries.of(0.0, 1e-4, 0.1)).as((g, b, s, d, eps) -> GrpoConfig.builder().groupSize(g)
                .advantageBaseline(b).advantageScaling(s).advantageStd(d).advantageEpsilon(eps).build());
    }

    @Provide
    Arbitrary<Case> cases() {
        return configs().flatMap(c -> Arbitraries.integers().between(1, 4).flatMap(b -> Combinators.combine(
                reward().array(double[].class).ofSize(b * c.groupSize()),
                reward().array(double[].class).ofSize(b)).as((r, gr) -> new Case(c, r, gr))));
    }

    @Provide
    Arbitrary<Case> whitened() {
        return cases().map(k -> new Case(k.config().toBuilder().advantageScaling(AdvantageScaling.BATCH_WHITEN)
                .advantageEpsilon(0).build(), k.rewards(), k.greedy()));
    }

    @Provide
    Arbitrary<Scores> scores() {
        Arbitrary<GrpoConfig> configs = Combinators.combine(Arbitraries.integers().between(2, 4),
                Arbitraries.of(StdEstimator.class), Arbitraries.of(0.0, 1e-4)).as((g, d, eps) -> GrpoConfig.builder()
                .groupSize(g).advantageStd(d).advantageEpsilon(eps).build());
        return configs.flatMap(c -> Combinators.combine(Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3)).flatAs((b, k) -> {
                    int n = b * c.groupSize();
                    Arbitrary<double[][]> s = reward().array(double[].class).ofSize(n).array(double[][].class)
                            .ofSize(k);
                    Arbitrary<boolean[][]> m = Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false))
                            .array(boolean[].class).ofSize(n).array(boolean[][].class).ofSize(k);
                    Arbitrary<double[]> w = Arbitraries.of(1.0, 0.5, 2.0, -1.0, 0.0).array(double[].class).ofSize(k);
                    return Combinators.combine(s, m, w).as((ss, mm, ww) -> new Scores(c, ss, mm, ww));
                }));
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-9 * (1 + Math.abs(expected[i])),
                    what + " [" + i + "]: expected " + Arrays.toString(expected) + ", was " + Arrays.toString(actual));
        }
    }

    /**
     * Every baseline × scaling × deviation × ε equals the naive reference; a division by a deviation of exactly 0
     * with ε = 0 is the one case the reference turns to ±Infinity and Advantages to an AdvantageRangeException.
     */
    @Property(tries = 600)
    void everyEstimatorMatchesTheNaiveReference(@ForAll("cases") Case k) {
        GrpoConfig c = k.config();
        double[] expected = AdvantageReference.advantages(k.rewards(), k.greedy(), c);
        Statistics.label("baseline").collect(c.advantageBaseline());
        Statistics.label("scaling").collect(c.advantageScaling());
        if (Arrays.stream(expected).anyMatch(x -> !Double.isFinite(x))) {
            Statistics.label("outcome").collect("range exception");
            try {
                Advantages.compute(k.rewards(), k.greedyOrNull(), c);
            } catch (AdvantageRangeException e) {
                return;
            }
            throw new AssertionError("expected an AdvantageRangeException for " + Arrays.toString(expected));
        }
        Statistics.label("outcome").collect("finite");
        assertClose(expected, Advantages.compute(k.rewards(), k.greedyOrNull(), c), c.toString());
        Statistics.label("baseline").coverage(cov -> {
            for (AdvantageBaseline b : AdvantageBaseline.values()) {
                cov.check(b).percentage(p -> p >= 10);
            }
        });
        Statistics.label("scaling").coverage(cov -> {
            for (AdvantageScaling s : AdvantageScaling.values()) {
                cov.check(s).percentage(p -> p >= 10);
            }
        });
    }

    /**
     * Scale-free: with ε = 0, multiplying every reward (and greedy reward) by 2^k leaves std-scaled and whitened
     * advantages bit for bit unchanged and multiplies unscaled ones by exactly 2^k, from 2^-600 to 2^600; an
     * AdvantageRangeException (a zero deviation under a nonzero centred reward) is one for every k.
     */
    @Property(tries = 400)
    void everyEstimatorIsScaleFree(@ForAll("cases") Case k,
                                   @ForAll @net.jqwik.api.constraints.IntRange(min = -600, max = 600) int power) {
        GrpoConfig c = k.config().toBuilder().advantageEpsilon(0).build();
        double[] r = k.rewards().clone();
        double[] gr = k.greedy().clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.scalb(r[i], power);
        }
        for (int i = 0; i < gr.length; i++) {
            gr[i] = Math.scalb(gr[i], power);
        }
        Case scaled = new Case(c, r, gr);
        double[] base;
        try {
            base = Advantages.compute(k.rewards(), k.greedyOrNull(), c);
        } catch (AdvantageRangeException e) {
            org.junit.jupiter.api.Assertions.assertThrows(AdvantageRangeException.class,
                    () -> Advantages.compute(scaled.rewards(), scaled.greedyOrNull(), c));
            Statistics.label("outcome").collect("range exception");
            return;
        }
        double[] a = Advantages.compute(scaled.rewards(), scaled.greedyOrNull(), c);
        double[] expected = base.clone();
        if (c.advantageScaling() == AdvantageScaling.NONE) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Math.scalb(expected[i], power);
            }
        }
        assertArrayEquals(expected, a, 0.0, c + " × 2^" + power);
        Statistics.label("outcome").collect("finite");
    }

    /** REINFORCE++'s whitened advantages have batch mean 0 and batch deviation 1 (ε = 0), whatever the baseline. */
    @Property(tries = 300)
    void batchWhitenedAdvantagesHaveMeanZeroAndStdOne(@ForAll("whitened") Case k) {
        double[] a = Advantages.compute(k.rewards(), k.greedyOrNull(), k.config());
        boolean allZero = Arrays.stream(a).allMatch(x -> x == 0);
        Statistics.label("degenerate").collect(allZero);
        Statistics.label("degenerate").coverage(cov -> cov.check(false).percentage(p -> p >= 25));
        if (allZero) {
            return;                                                       // every centred reward equal
        }
        int ddof = k.config().advantageStd().ddof();
        assertEquals(0, AdvantageReference.mean(a), 1e-12);
        assertEquals(1, AdvantageReference.std(a, ddof), 1e-12);
    }

    /** GDPO equals TRL's NaN-aware normalize_then_sum on the same scores with NaN for each abstention. */
    @Property(tries = 400)
    void gdpoMatchesTheNanAwareReference(@ForAll("scores") Scores s) {
        boolean conditioned = AdvantageReference.gdpoWellConditioned(s.withNan(), s.weights(), s.config());
        Statistics.label("well conditioned").collect(conditioned);
        Statistics.label("well conditioned").coverage(cov -> cov.check(true).percentage(p -> p >= 80));
        Assume.that(conditioned);
        double[] expected = AdvantageReference.gdpo(s.withNan(), s.weights(), s.config());
        assertClose(expected, Advantages.normalizeThenSum(s.scores(), s.scored(), s.weights(), s.config()), "GDPO");
        boolean abstained = Arrays.stream(s.scored()).anyMatch(m -> {
            for (boolean b : m) {
                if (!b) {
                    return true;
                }
            }
            return false;
        });
        Statistics.label("abstentions").collect(abstained);
        Statistics.label("abstentions").coverage(cov -> cov.check(true).percentage(p -> p >= 30));
    }

    /**
     * With one verifier and ε = 0, GDPO is the batch whitening of the sum-then-normalise (GRPO) advantages of its
     * scores times its weight's sign: normalising a single score per group and weighting it commute up to sign.
     * (It is not the GRPO advantage itself: TRL's normalize_then_sum always whitens the sum over the batch.)
     */
    @Property(tries = 300)
    void gdpoWithOneVerifierIsTheWhitenedGrpoAdvantage(@ForAll("scores") Scores s) {
        GrpoConfig c = s.config().toBuilder().advantageEpsilon(0).build();
        double w = s.weights()[0];
        double[] r = s.scores()[0];
        double[] grpo = Advantages.compute(r, c);
        double[] signed = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            signed[i] = Math.signum(w) * grpo[i];
        }
        double[] expected = AdvantageReference.gdpo(new double[][] {signed}, new double[] {1}, c);
        Assume.that(AdvantageReference.gdpoWellConditioned(new double[][] {signed}, new double[] {1}, c));
        double[] actual = Advantages.normalizeThenSum(new double[][] {r}, null, new double[] {w}, c);
        assertClose(expected, actual, "GDPO of one verifier");
        // a positive weight does not matter at all
        if (w > 0) {
            assertArrayEquals(Advantages.normalizeThenSum(new double[][] {r}, null, new double[] {1}, c), actual,
                    1e-12);
        }
    }

    /** A verifier that abstains on every completion changes nothing: it is dropped, not scored 0. */
    @Property(tries = 200)
    void anAlwaysAbstainingVerifierIsIgnored(@ForAll("scores") Scores s) {
        int k = s.scores().length;
        double[][] more = Arrays.copyOf(s.scores(), k + 1);
        more[k] = new double[s.scores()[0].length];
        Arrays.fill(more[k], 1e9);
        boolean[][] scored = Arrays.copyOf(s.scored(), k + 1);
        scored[k] = new boolean[more[k].length];
        double[] weights = Arrays.copyOf(s.weights(), k + 1);
        weights[k] = 3;
        assertArrayEquals(Advantages.normalizeThenSum(s.scores(), s.scored(), s.weights(), s.config()),
                Advantages.normalizeThenSum(more, scored, weights, s.config()), 0.0);
    }
}
