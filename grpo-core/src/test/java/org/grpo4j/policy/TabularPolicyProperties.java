package org.grpo4j.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.Completion;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link TabularPolicy} against {@link SoftmaxReference} and central finite differences on random tables with
 * −∞ entries, and the structural zeros under random updates and sampling settings.
 */
class TabularPolicyProperties {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    /**
     * A case: a table of 1–3 rows of 1–6 logits, each −∞ one time in four (a row that came out all −∞ gets a 0 in
     * column {@code x mod K}), otherwise in [−30, 30]; and 1–12 (row, output) pairs with an upstream gradient
     * each, the output drawn from the row's support.
     */
    record Case(double[][] table, int[][] pairs, double[] upstream) {
        @Override
        public String toString() {
            return "table=" + Arrays.deepToString(table) + ", pairs=" + Arrays.deepToString(pairs) + ", upstream="
                    + Arrays.toString(upstream);
        }
    }

    @Provide
    Arbitrary<double[][]> tables() {
        return tablesOf(Arbitraries.doubles().between(-30, 30));
    }

    /** Logits on a grid of 0.5 in [−3, 3] (exact in FLOAT, so ties stay ties after the sampler's FLOAT cast). */
    @Provide
    Arbitrary<double[][]> gridTables() {
        return tablesOf(Arbitraries.integers().between(-6, 6).map(i -> i * 0.5));
    }

    private static Arbitrary<double[][]> tablesOf(Arbitrary<Double> finite) {
        Arbitrary<Double> entry = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(NEG_INF)), Tuple.of(3, finite));
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 6))
                .flatAs((p, k) -> entry.array(double[].class).ofSize(k).array(double[][].class).ofSize(p))
                .map(TabularPolicyProperties::withSupport);
    }

    private static double[][] withSupport(double[][] t) {
        for (int x = 0; x < t.length; x++) {
            if (Arrays.stream(t[x]).allMatch(v -> v == NEG_INF)) {
                t[x][x % t[x].length] = 0;
            }
        }
        return t;
    }

    @Provide
    Arbitrary<Case> cases() {
        return tables().flatMap(table -> {
            Arbitrary<int[]> pair = Arbitraries.integers().between(0, table.length - 1).flatMap(x -> {
                List<Integer> support = new ArrayList<>();
                for (int y = 0; y < table[x].length; y++) {
                    if (table[x][y] != NEG_INF) {
                        support.add(y);
                    }
                }
                return Arbitraries.of(support).map(y -> new int[] {x, y});
            });
            Arbitrary<Double> g = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0.0)),
                    Tuple.of(4, Arbitraries.doubles().between(-2, 2)));
            return Arbitraries.integers().between(1, 12).flatMap(n -> Combinators.combine(
                    pair.array(int[][].class).ofSize(n), g.array(double[].class).ofSize(n))
                    .as((pairs, upstream) -> new Case(table, pairs, upstream)));
        });
    }

    private static SequenceBatch batch(int[][] pairs) {
        List<int[]> ps = new ArrayList<>();
        List<int[]> cs = new ArrayList<>();
        for (int[] p : pairs) {
            ps.add(new int[] {p[0]});
            cs.add(p[1] < 0 ? new int[0] : new int[] {p[1]});
        }
        return new SequenceBatch(ps, cs);
    }

    /**
     * Probabilities equal the reference's within 1e-12, sum to 1, are exactly 0 outside the support and positive
     * inside it (logits within 60 of each other do not underflow).
     *
     * @param table the logits
     */
    @Property(tries = 300)
    void probabilitiesMatchTheReference(@ForAll("tables") double[][] table) {
        TabularPolicy policy = TabularPolicy.ofLogits(table);
        for (int x = 0; x < table.length; x++) {
            double[] p = policy.rowProbabilities(x);
            assertArrayEquals(SoftmaxReference.probabilities(table[x]), p, 1e-12, "row " + x);
            assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
            for (int y = 0; y < p.length; y++) {
                assertEquals(table[x][y] != NEG_INF, p[y] > 0, "support of [" + x + ", " + y + "]");
                assertEquals(table[x][y] != NEG_INF, policy.inSupport(x, y));
            }
            assertArrayEquals(table[x], policy.logitTable()[x], 0);
        }
        Statistics.label("has -Infinity").collect(Arrays.stream(table).flatMapToDouble(Arrays::stream)
                .anyMatch(v -> v == NEG_INF));
    }

    /**
     * Forward log-probabilities and entropies equal the reference's (absolute error ≤ 1e-12 · (1 + |logp|)),
     * −∞ exactly at an output outside the support, and 0 at an empty completion.
     *
     * @param table the logits
     * @param seed  picks the (row, output) pairs, outputs from the whole range (support or not) or empty
     */
    @Property(tries = 300)
    void forwardMatchesTheReference(@ForAll("tables") double[][] table, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = table[0].length;
        int[][] pairs = new int[1 + rng.nextInt(10)][];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = new int[] {rng.nextInt(table.length), rng.nextInt(-1, k)};
        }
        PolicyForward f = TabularPolicy.ofLogits(table).forward(batch(pairs));
        boolean anyToken = Arrays.stream(pairs).anyMatch(p -> p[1] >= 0);
        assertArrayEquals(new long[] {pairs.length, anyToken ? 1 : 0}, f.logProbs().shape());
        if (!anyToken) {
            return;
        }
        for (int i = 0; i < pairs.length; i++) {
            double lp = f.logProbs().getDouble(i, 0);
            double h = f.entropies().getDouble(i, 0);
            if (pairs[i][1] < 0) {
                assertEquals(0.0, lp, 0, "padding");
                assertEquals(0.0, h, 0, "padding");
                continue;
            }
            double[] theta = table[pairs[i][0]];
            double expected = SoftmaxReference.logProb(theta, pairs[i][1]);
            if (expected == NEG_INF) {
                assertEquals(NEG_INF, lp, "outside the support");
            } else {
                assertEquals(expected, lp, 1e-12 * (1 + Math.abs(expected)), "log-probability " + i);
            }
            double hr = SoftmaxReference.entropy(theta);
            assertEquals(hr, h, 1e-12 * (1 + hr), "entropy " + i);
            assertTrue(h >= 0 && h <= Math.log(theta.length) + 1e-12, "0 ≤ H ≤ log K");
        }
    }

    /**
     * backward() of {@code L = sum_i g_i logp_i} equals central differences of L in DOUBLE, and is exactly 0
     * outside the support.
     *
     * @param c the case
     */
    @Property(tries = 150)
    void backwardMatchesCentralDifferences(@ForAll("cases") Case c) {
        TabularPolicyTest.assertGradientMatchesFiniteDifferences(c.table(), c.pairs(), c.upstream());
    }

    /**
     * Any sequence of backward passes and gradient steps (SGD with a step of up to 10) leaves every −∞ at −∞ and
     * every probability-0 output at probability exactly 0, and sampling (any temperature, top-k, greedy) never
     * draws one.
     *
     * @param c     the case
     * @param lr    the SGD step
     * @param steps how many steps
     */
    @Property(tries = 100)
    void zerosStayZeroUnderUpdatesAndSampling(@ForAll("cases") Case c,
                                              @ForAll("learningRates") double lr,
                                              @ForAll("stepCounts") int steps) {
        TabularPolicy policy = TabularPolicy.ofLogits(c.table());
        Parameter p = policy.parameters().get(0);
        SequenceBatch batch = batch(c.pairs());
        INDArray g = Nd4j.createFromArray(c.upstream()).reshape(c.pairs().length, 1);
        for (int s = 0; s < steps; s++) {
            policy.forward(batch).backward(g);
            p.value().subi(p.gradient().mul(lr));
            policy.zeroGradients();
        }
        SplittableRandom rng = new SplittableRandom(steps);
        for (int x = 0; x < c.table().length; x++) {
            double[] probabilities = policy.rowProbabilities(x);
            List<Completion> drawn = new ArrayList<>();
            for (SamplingConfig s : List.of(SamplingConfig.defaults(), SamplingConfig.defaults().withTemperature(3),
                    SamplingConfig.defaults().withTopK(2), SamplingConfig.defaults().withGreedy(true))) {
                drawn.addAll(policy.sample(java.util.Collections.nCopies(50, policy.prompt(x)), s, rng));
            }
            for (int y = 0; y < probabilities.length; y++) {
                if (c.table()[x][y] == NEG_INF) {
                    assertEquals(NEG_INF, p.value().getDouble(x, y), "logit [" + x + ", " + y + "]");
                    assertEquals(0.0, probabilities[y], 0, "probability [" + x + ", " + y + "]");
                    int y0 = y;
                    assertTrue(drawn.stream().noneMatch(d -> d.tokens()[0] == y0), "drew [" + x + ", " + y + "]");
                }
            }
        }
    }

    @Provide
    Arbitrary<Double> learningRates() {
        return Arbitraries.doubles().between(0.01, 10);
    }

    @Provide
    Arbitrary<Integer> stepCounts() {
        return Arbitraries.integers().between(1, 4);
    }

    /**
     * Each sampled completion's log-probability is that of its token under the reference sampling distribution
     * (temperature, top-k with ties to the lowest id, greedy), and no token of sampling probability 0 is drawn.
     *
     * @param table       logits on a grid
     * @param temperature in [0.25, 4]
     * @param topK        0 (off) to 6
     * @param greedy      whether to take the arg-max
     * @param seed        the sampling seed
     */
    @Property(tries = 200)
    void sampledLogProbabilitiesAreThoseOfTheFilteredDistribution(@ForAll("gridTables") double[][] table,
                                                                  @ForAll("temperatures") double temperature,
                                                                  @ForAll("topKs") int topK,
                                                                  @ForAll("greedy") boolean greedy,
                                                                  @ForAll long seed) {
        TabularPolicy policy = TabularPolicy.ofLogits(table);
        SamplingConfig s = new SamplingConfig(temperature, topK, 1.0, 0.0, greedy, 1, -1);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            prompts.add(new int[] {i % table.length});
        }
        List<Completion> out = policy.sample(prompts, s, new SplittableRandom(seed));
        assertEquals(prompts.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            double[] q = SoftmaxReference.sampling(table[i % table.length], temperature, topK, greedy);
            int y = out.get(i).tokens()[0];
            assertTrue(q[y] > 0, "drew output " + y + " of sampling probability 0 from " + Arrays.toString(q));
            assertEquals(Math.log(q[y]), out.get(i).logProbs()[0], 1e-6 * (1 + Math.abs(Math.log(q[y]))));
        }
        Statistics.label("filter").collect(greedy ? "greedy" : topK > 0 ? "top-k" : "temperature only");
    }

    @Provide
    Arbitrary<Double> temperatures() {
        return Arbitraries.doubles().between(0.25, 4).ofScale(3);
    }

    @Provide
    Arbitrary<Integer> topKs() {
        return Arbitraries.integers().between(0, 6);
    }

    @Provide
    Arbitrary<Boolean> greedy() {
        return Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false));
    }
}
