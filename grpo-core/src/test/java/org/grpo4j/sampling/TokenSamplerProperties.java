package org.grpo4j.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.SamplingConfig;

/** {@link TokenSampler} against the double-precision {@link SamplingReference} and the filters' definitions. */
class TokenSamplerProperties {

    /** 1 to 40 logits in [−10, 10], drawn from a small set one time in three so that ties occur. */
    @Provide
    Arbitrary<float[]> logits() {
        Arbitrary<Float> continuous = Arbitraries.floats().between(-10, 10);
        Arbitrary<Float> tied = Arbitraries.of(-2f, 0f, 0f, 1f, 3f);
        return Arbitraries.frequencyOf(Tuple.of(2, continuous.list().ofMinSize(1).ofMaxSize(40)),
                        Tuple.of(1, tied.list().ofMinSize(1).ofMaxSize(40)))
                .map(TokenSamplerProperties::toArray);
    }

    /** Temperature in [0.1, 5]; each filter off or on about half the time; greedy one time in ten. */
    @Provide
    Arbitrary<SamplingConfig> configs() {
        Arbitrary<Double> temperature = Arbitraries.doubles().between(0.1, 5).ofScale(4);
        Arbitrary<Integer> topK = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 45)));
        Arbitrary<Double> topP = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(1.0)),
                Tuple.of(1, Arbitraries.doubles().between(0.01, 0.99).ofScale(4)));
        Arbitrary<Double> minP = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0.0)),
                Tuple.of(1, Arbitraries.doubles().between(0.01, 0.99).ofScale(4)));
        Arbitrary<Boolean> greedy = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(9, false));
        return Combinators.combine(temperature, topK, topP, minP, greedy)
                .as((t, k, p, m, g) -> new SamplingConfig(t, k, p, m, g, 32, -1));
    }

    private static float[] toArray(List<Float> v) {
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    // -------------------------------------------------------------------------------------- distribution

    /**
     * The whole filter chain equals the reference: a probability vector summing to 1, filtered tokens exactly 0.
     *
     * @param logits the row
     * @param s      the filter chain
     */
    @Property(tries = 300)
    void distributionMatchesTheReference(@ForAll("logits") float[] logits, @ForAll("configs") SamplingConfig s) {
        double[] p = TokenSampler.distribution(logits, s);
        double[] q = SamplingReference.distribution(logits, s);
        assertArrayEquals(q, p, 1e-9, () -> Arrays.toString(logits) + " " + s);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-9);
        for (int i = 0; i < p.length; i++) {
            assertTrue(p[i] >= 0);
            assertEquals(q[i] == 0, p[i] == 0, "token " + i + " filtered by one and not the other");
        }
        Statistics.label("filters (k, p, min-p, greedy)").collect(s.topK() > 0, s.topP() < 1, s.minP() > 0,
                s.greedy());
    }

    /**
     * Without filters the distribution is softmax(logits / τ), computed in double.
     *
     * @param logits the row
     * @param tau    the temperature
     */
    @Property(tries = 200)
    void temperatureGivesTheSoftmaxOfScaledLogits(@ForAll("logits") float[] logits,
                                                  @ForAll @DoubleRange(min = 0.05, max = 20) double tau) {
        double[] p = TokenSampler.distribution(logits, SamplingConfig.defaults().withTemperature(tau));
        double[] q = SamplingReference.softmax(logits, tau);
        for (int i = 0; i < p.length; i++) {
            assertEquals(q[i], p[i], 1e-12 + 1e-12 * q[i]);
        }
    }

    /**
     * Greedy is the one-hot arg-max, ties to the lowest id, whatever the other settings.
     *
     * @param logits the row
     * @param s      other settings
     */
    @Property(tries = 100)
    void greedyIsTheArgMax(@ForAll("logits") float[] logits, @ForAll("configs") SamplingConfig s) {
        double[] p = TokenSampler.distribution(logits, s.withGreedy(true));
        int arg = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[arg]) {
                arg = i;
            }
        }
        double[] expected = new double[logits.length];
        expected[arg] = 1;
        assertArrayEquals(expected, p, 0.0);
    }

    /**
     * Top-k alone keeps exactly min(k, V) tokens, and no dropped token is more likely than a kept one.
     *
     * @param logits the row
     * @param k      k ≥ 1
     */
    @Property(tries = 200)
    void topKKeepsExactlyK(@ForAll("logits") float[] logits, @ForAll @IntRange(min = 1, max = 45) int k) {
        double[] p = TokenSampler.distribution(logits, SamplingConfig.defaults().withTopK(k));
        long kept = Arrays.stream(p).filter(x -> x > 0).count();
        assertEquals(Math.min(k, logits.length), kept, () -> Arrays.toString(logits) + " k=" + k);
        assertNoDroppedAboveKept(logits, p);
    }

    /**
     * Top-p alone keeps the smallest most-likely prefix whose mass reaches p: its mass is ≥ p and without its
     * least likely member it would be &lt; p (to 1e-9), and no dropped token is more likely than a kept one.
     *
     * @param logits the row
     * @param topP   p
     */
    @Property(tries = 200)
    void topPKeepsTheSmallestPrefixReachingP(@ForAll("logits") float[] logits,
                                             @ForAll @DoubleRange(min = 0.001, max = 0.999) @Scale(6) double topP) {
        double[] p = TokenSampler.distribution(logits, SamplingConfig.defaults().withTopP(topP));
        double[] full = SamplingReference.softmax(logits, 1.0);
        double mass = 0;
        double smallestKept = Double.POSITIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                mass += full[i];
                smallestKept = Math.min(smallestKept, full[i]);
            }
        }
        assertTrue(mass >= topP - 1e-9, "kept mass " + mass + " < p " + topP);
        assertTrue(mass - smallestKept < topP + 1e-9, "not the smallest set: " + mass + " − " + smallestKept);
        assertNoDroppedAboveKept(logits, p);
    }

    /**
     * Min-p alone keeps exactly the tokens whose probability is at least minP times the largest (tokens within
     * 1e-12 of the threshold are not judged).
     *
     * @param logits the row
     * @param minP   the factor
     */
    @Property(tries = 200)
    void minPKeepsTokensAboveTheThreshold(@ForAll("logits") float[] logits,
                                          @ForAll @DoubleRange(min = 0.0, max = 0.999) @Scale(6) double minP) {
        double[] p = TokenSampler.distribution(logits, SamplingConfig.defaults().withMinP(minP));
        double[] full = SamplingReference.softmax(logits, 1.0);
        double top = Arrays.stream(full).max().orElseThrow();
        for (int i = 0; i < p.length; i++) {
            double threshold = minP * top;
            if (Math.abs(full[i] - threshold) > 1e-12) {
                assertEquals(full[i] >= threshold, p[i] > 0, "token " + i + ", p " + full[i] + ", threshold "
                        + threshold);
            }
        }
    }

    private static void assertNoDroppedAboveKept(float[] logits, double[] p) {
        float minKept = Float.POSITIVE_INFINITY;
        float maxDropped = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                minKept = Math.min(minKept, logits[i]);
            } else {
                maxDropped = Math.max(maxDropped, logits[i]);
            }
        }
        assertTrue(maxDropped <= minKept, "a dropped token (logit " + maxDropped + ") beats a kept one (" + minKept
                + ")");
    }

    // ---------------------------------------------------------------------------------------------- draw

    /**
     * draw never returns a filtered (zero-probability) token, for any filter chain and seed.
     *
     * @param logits the row
     * @param s      the filter chain
     * @param seed   the generator's seed
     */
    @Property(tries = 200)
    void filteredTokensAreNeverDrawn(@ForAll("logits") float[] logits, @ForAll("configs") SamplingConfig s,
                                     @ForAll long seed) {
        double[] p = TokenSampler.distribution(logits, s);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int k = 0; k < 200; k++) {
            int t = TokenSampler.draw(p, rng);
            assertTrue(t >= 0 && t < p.length && p[t] > 0, "drew token " + t + " with probability "
                    + (t >= 0 && t < p.length ? p[t] : Double.NaN));
        }
    }
}
