package org.grpo4j.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.grpo4j.Completion;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.optim.AdamW;
import org.grpo4j.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link TabularPolicy} on tables worked out by hand, against {@link SoftmaxReference}, with sampling frequency
 * checks and every validation message.
 */
class TabularPolicyTest {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;
    private static final SamplingConfig PLAIN = SamplingConfig.defaults();

    /**
     * Probability that one chi-square check below fails although the sampler is correct, were the seed drawn at
     * random (for the fixed seeds used the outcome is deterministic).
     */
    private static final double FALSE_FAILURE = 1e-6;

    // ------------------------------------------------------------------------------------------- probabilities

    @Test
    void probabilitiesAreTheGivenOnesAndLogitsTheirLogarithms() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {0.5, 0, 0.5, 0});
        assertEquals(2, policy.numPrompts());
        assertEquals(4, policy.numOutputs());
        assertEquals(4, policy.vocabularySize());
        assertEquals(DataType.DOUBLE, policy.dataType());
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, policy.rowProbabilities(0), 1e-15);
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0}, policy.probabilities(new int[] {1}), 0);
        assertArrayEquals(new double[] {Math.log(0.1), Math.log(0.2), Math.log(0.3), Math.log(0.4)},
                policy.logitTable()[0], 0);
        assertArrayEquals(new double[] {Math.log(0.5), NEG_INF, Math.log(0.5), NEG_INF}, policy.logitTable()[1], 0);
        assertTrue(policy.inSupport(1, 0));
        assertFalse(policy.inSupport(1, 1));
        assertEquals(2, policy.probabilityTable().length);
    }

    /** Logits (0, ln 2, −∞): probabilities (1/3, 2/3, 0); a shift of every logit changes nothing. */
    @Test
    void softmaxOfLogitsWithANegativeInfinity() {
        double ln2 = Math.log(2);
        TabularPolicy policy = TabularPolicy.ofLogits(new double[][] {{0, ln2, NEG_INF}, {500, 500 + ln2, NEG_INF}});
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3, 0}, policy.rowProbabilities(0), 1e-15);
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3, 0}, policy.rowProbabilities(1), 1e-15);
        assertEquals(0.0, policy.rowProbabilities(0)[2], 0, "exactly 0, not merely small");
    }

    @Test
    void uniformGivesEqualProbabilities() {
        TabularPolicy policy = TabularPolicy.uniform(3, 5);
        for (int x = 0; x < 3; x++) {
            assertArrayEquals(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, policy.rowProbabilities(x), 1e-15);
            assertArrayEquals(new int[] {x}, policy.prompt(x));
            assertEquals(x, policy.row(new int[] {x}));
        }
    }

    @Test
    void promptsAreKeysThatAreCopiedAndNeedNotBeOutputs() {
        int[] first = {17, 4};
        int[] second = {-3};
        List<int[]> prompts = new ArrayList<>(List.of(first, second));
        TabularPolicy policy = TabularPolicy.ofLogits(prompts, new double[][] {{0, 1}, {1, 0}}, DataType.DOUBLE);
        first[0] = 99;                                       // the policy kept its own copy
        prompts.clear();
        assertEquals(0, policy.row(new int[] {17, 4}));
        assertEquals(1, policy.row(new int[] {-3}));
        int[] returned = policy.prompt(0);
        returned[0] = 5;
        assertArrayEquals(new int[] {17, 4}, policy.prompt(0), "prompt(row) returns a copy");
        assertArrayEquals(SoftmaxReference.probabilities(new double[] {1, 0}), policy.probabilities(new int[] {-3}),
                1e-15);
    }

    // ------------------------------------------------------------------------------------------- forward / backward

    /**
     * Row (1/3, 2/3, 0), completions 1, 0 and 2 (outside the support) and an empty one: log-probabilities
     * (ln 2/3, ln 1/3, −∞, 0 padded), entropies H = ln 3 − (2/3) ln 2 on the scored tokens and 0 on padding.
     */
    @Test
    void forwardByHand() {
        TabularPolicy policy = TabularPolicy.ofLogits(new double[][] {{0, Math.log(2), NEG_INF}});
        SequenceBatch batch = new SequenceBatch(List.of(new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0}),
                List.of(new int[] {1}, new int[] {0}, new int[] {2}, new int[0]));
        PolicyForward f = policy.forward(batch);
        assertArrayEquals(new long[] {4, 1}, f.logProbs().shape());
        assertArrayEquals(new double[] {Math.log(2.0 / 3), Math.log(1.0 / 3), NEG_INF, 0},
                f.logProbs().reshape(4).toDoubleVector(), 1e-15);
        double h = Math.log(3) - 2.0 / 3 * Math.log(2);
        assertArrayEquals(new double[] {h, h, h, 0}, f.entropies().reshape(4).toDoubleVector(), 1e-15);
        assertArrayEquals(f.logProbs().toDoubleMatrix(), policy.logProbs(batch).toDoubleMatrix(),
                "logProbs is the forward pass's");
    }

    /**
     * dlogp_y/dtheta_j = 1[j = y] − pi(j): with upstream gradient 2 on output 1 and −1 on output 0 of the row
     * (1/3, 2/3, 0): 2·(−1/3, 1/3, 0) − (2/3, −2/3, 0) = (−4/3, 4/3, 0); backward adds, so twice doubles.
     */
    @Test
    void backwardByHandAccumulates() {
        TabularPolicy policy = TabularPolicy.ofLogits(new double[][] {{0, Math.log(2), NEG_INF}, {0, 0, 0}});
        SequenceBatch batch = new SequenceBatch(List.of(new int[] {0}, new int[] {0}),
                List.of(new int[] {1}, new int[] {0}));
        PolicyForward f = policy.forward(batch);
        INDArray g = Nd4j.createFromArray(new double[][] {{2}, {-1}});
        f.backward(g);
        INDArray grad = policy.parameters().get(0).gradient();
        assertArrayEquals(new double[] {-4.0 / 3, 4.0 / 3, 0}, grad.getRow(0).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0}, grad.getRow(1).toDoubleVector(), 0, "an unused row gets nothing");
        f.backward(g);
        assertArrayEquals(new double[] {-8.0 / 3, 8.0 / 3, 0}, grad.getRow(0).toDoubleVector(), 1e-15);
        policy.zeroGradients();
        assertEquals(0.0, grad.sumNumber().doubleValue(), 0);
    }

    @Test
    void backwardMatchesCentralDifferencesOnAFixedTable() {
        double[][] table = {{0.3, -1.2, 2.0, NEG_INF}, {NEG_INF, 0.0, 0.0, 5.0}, {-4, 4, 1, 0}};
        int[][] pairs = {{0, 2}, {0, 0}, {1, 3}, {1, 1}, {2, 1}, {2, 1}, {2, 3}};
        double[] upstream = {0.7, -1.3, 2.0, 0.25, -0.5, 1.5, 0.9};
        assertGradientMatchesFiniteDifferences(table, pairs, upstream);
    }

    /**
     * Checks {@code backward} of {@code L = sum_i g_i logp_i} against central differences of L computed by the
     * policy's own forward pass (h = 1e-5; truncation ~h², rounding ~1e-16·|L|/h), in DOUBLE; entries outside the
     * support must get exactly 0.
     */
    static void assertGradientMatchesFiniteDifferences(double[][] table, int[][] pairs, double[] upstream) {
        TabularPolicy policy = TabularPolicy.ofLogits(table);
        List<int[]> ps = new ArrayList<>();
        List<int[]> cs = new ArrayList<>();
        double scale = 1;
        for (int i = 0; i < pairs.length; i++) {
            ps.add(new int[] {pairs[i][0]});
            cs.add(new int[] {pairs[i][1]});
            scale += Math.abs(upstream[i]);
        }
        SequenceBatch batch = new SequenceBatch(ps, cs);
        INDArray g = Nd4j.createFromArray(upstream).reshape(pairs.length, 1);
        policy.forward(batch).backward(g);
        Parameter p = policy.parameters().get(0);
        double[][] analytic = p.gradient().toDoubleMatrix();
        double h = 1e-5;
        for (int x = 0; x < table.length; x++) {
            for (int j = 0; j < table[x].length; j++) {
                if (table[x][j] == NEG_INF) {
                    assertEquals(0.0, analytic[x][j], 0, "gradient outside the support at [" + x + ", " + j + "]");
                    continue;
                }
                double v = table[x][j];
                p.value().putScalar(new long[] {x, j}, v + h);
                double plus = loss(policy, batch, upstream);
                p.value().putScalar(new long[] {x, j}, v - h);
                double minus = loss(policy, batch, upstream);
                p.value().putScalar(new long[] {x, j}, v);
                double central = (plus - minus) / (2 * h);
                assertEquals(central, analytic[x][j], 1e-7 * scale, "dL/dtheta[" + x + ", " + j + "]");
            }
        }
    }

    private static double loss(TabularPolicy policy, SequenceBatch batch, double[] upstream) {
        double[] lp = policy.logProbs(batch).reshape(upstream.length).toDoubleVector();
        double l = 0;
        for (int i = 0; i < lp.length; i++) {
            l += upstream[i] * lp[i];
        }
        return l;
    }

    @Test
    void emptyCompletionsGiveZeroTokensAndABackwardThatDoesNothing() {
        TabularPolicy policy = TabularPolicy.uniform(2, 3);
        SequenceBatch batch = new SequenceBatch(List.of(new int[] {0}, new int[] {1}), List.of(new int[0], new int[0]));
        PolicyForward f = policy.forward(batch);
        assertArrayEquals(new long[] {2, 0}, f.logProbs().shape());
        assertArrayEquals(new long[] {2, 0}, f.entropies().shape());
        f.backward(Nd4j.zeros(DataType.DOUBLE, 2, 0));
        assertEquals(0.0, policy.parameters().get(0).gradient().sumNumber().doubleValue(), 0);
    }

    @Test
    void aGradientAtAnOutputOfProbabilityZeroIsRefusedButAZeroOneIsFine() {
        TabularPolicy policy = TabularPolicy.ofLogits(new double[][] {{0, NEG_INF}});
        SequenceBatch batch = new SequenceBatch(List.of(new int[] {0}, new int[] {0}),
                List.of(new int[] {1}, new int[] {0}));
        PolicyForward f = policy.forward(batch);
        assertEquals(NEG_INF, f.logProbs().getDouble(0, 0));
        assertEquals(0.0, f.logProbs().getDouble(1, 0), 0, "the only supported output has log-probability 0");
        f.backward(Nd4j.createFromArray(new double[][] {{0}, {1}}));
        assertArrayEquals(new double[] {0, 0}, policy.parameters().get(0).gradient().getRow(0).toDoubleVector(), 0,
                "a one-output support has gradient 1 − 1 = 0, and nothing outside it");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.backward(Nd4j.createFromArray(new double[][] {{0.5}, {0}})));
        assertMessage(e, "dLossDLogProbs[0, 0]", "0.5", "output 1", "probability 0");
    }

    // ------------------------------------------------------------------------------------------- structural zeros

    /**
     * Plain SGD steps with large gradients and AdamW steps with weight decay keep −∞ at −∞; the output keeps
     * probability exactly 0 and is never sampled; even a NaN or a number written there changes nothing.
     */
    @Test
    void zeroProbabilitySurvivesUpdatesAndIsNeverSampled() {
        TabularPolicy policy = TabularPolicy.ofLogits(new double[][] {{0, NEG_INF, 1}, {NEG_INF, 2, NEG_INF}});
        SequenceBatch batch = new SequenceBatch(List.of(new int[] {0}, new int[] {0}, new int[] {1}),
                List.of(new int[] {0}, new int[] {2}, new int[] {1}));
        Parameter p = policy.parameters().get(0);
        for (int step = 0; step < 5; step++) {
            policy.forward(batch).backward(Nd4j.createFromArray(new double[][] {{-30}, {20}, {7}}));
            p.value().subi(p.gradient().mul(0.5));                           // SGD
            policy.zeroGradients();
        }
        AdamW adam = AdamW.create(OptimizerConfig.defaults().toBuilder().learningRate(0.5).weightDecay(0.1).build());
        for (int step = 0; step < 5; step++) {
            policy.forward(batch).backward(Nd4j.createFromArray(new double[][] {{-30}, {20}, {7}}));
            adam.step(policy.parameters());
        }
        assertEquals(NEG_INF, p.value().getDouble(0, 1));
        assertEquals(NEG_INF, p.value().getDouble(1, 0));
        assertEquals(NEG_INF, p.value().getDouble(1, 2));
        assertEquals(0.0, policy.rowProbabilities(0)[1], 0);
        assertArrayEquals(new double[] {0, 1, 0}, policy.rowProbabilities(1), 0);
        assertNeverDrawn(policy, 0, 1);

        p.value().putScalar(new long[] {0, 1}, Double.NaN);                  // what a careless optimiser might write
        p.value().putScalar(new long[] {1, 0}, 1e6);
        assertEquals(0.0, policy.rowProbabilities(0)[1], 0);
        assertArrayEquals(new double[] {0, 1, 0}, policy.rowProbabilities(1), 0);
        assertEquals(NEG_INF, policy.logitTable()[0][1]);
        assertNeverDrawn(policy, 0, 1);
        assertNeverDrawn(policy, 1, 0);
        assertEquals(NEG_INF, policy.logProbs(new SequenceBatch(List.of(new int[] {0}), List.of(new int[] {1})))
                .getDouble(0, 0));
    }

    private static void assertNeverDrawn(TabularPolicy policy, int row, int output) {
        int[] counts = counts(policy, row, 10_000, PLAIN, new SplittableRandom(3));
        assertEquals(0, counts[output], "output " + output + " of row " + row + " has probability 0");
    }

    @Test
    void aNonFiniteLogitInTheSupportIsAnError() {
        TabularPolicy policy = TabularPolicy.uniform(1, 3);
        policy.parameters().get(0).value().putScalar(new long[] {0, 2}, Double.POSITIVE_INFINITY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> policy.rowProbabilities(0));
        assertMessage(e, "logits[0, 2]", "Infinity");
        SequenceBatch batch = new SequenceBatch(List.of(new int[] {0}), List.of(new int[] {0}));
        assertThrows(IllegalStateException.class, () -> policy.forward(batch));
        assertThrows(IllegalStateException.class,
                () -> policy.sample(List.of(new int[] {0}), PLAIN, new SplittableRandom(1)));
    }

    // ------------------------------------------------------------------------------------------- sampling

    /** 50 000 draws from (0.1, 0.2, 0.3, 0.4, 0): Pearson's χ² with 3 degrees of freedom. */
    @Test
    void sampleFrequenciesMatchTheProbabilities() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4, 0});
        int[] counts = counts(policy, 0, 50_000, PLAIN, new SplittableRandom(20240611L));
        assertEquals(0, counts[4]);
        assertChiSquare(counts, new double[] {0.1, 0.2, 0.3, 0.4, 0});
    }

    /** Temperature 2 on logits ln(1, 2, 3, 4) samples ∝ (1, √2, √3, 2). */
    @Test
    void temperatureFlattensTheSampledFrequencies() {
        TabularPolicy policy = TabularPolicy.ofLogits(new double[][] {{0, Math.log(2), Math.log(3), Math.log(4)}});
        int[] counts = counts(policy, 0, 50_000, PLAIN.withTemperature(2), new SplittableRandom(5));
        double z = 3 + Math.sqrt(2) + Math.sqrt(3);
        assertChiSquare(counts, new double[] {1 / z, Math.sqrt(2) / z, Math.sqrt(3) / z, 2 / z});
        // and far from the untempered distribution: the test can tell temperature 2 from 1
        assertTrue(pearson(counts, new double[] {0.1, 0.2, 0.3, 0.4}) > 1000);
    }

    /** Top-2 on (0.1, 0.2, 0.3, 0.4) samples only outputs 2 and 3, as 3/7 and 4/7. */
    @Test
    void topKSamplesOnlyTheKMostLikely() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4});
        int[] counts = counts(policy, 0, 20_000, PLAIN.withTopK(2), new SplittableRandom(8));
        assertEquals(0, counts[0] + counts[1]);
        assertChiSquare(counts, new double[] {0, 0, 3.0 / 7, 4.0 / 7});
    }

    /** Top-k counts only outputs of the support: top-3 of a two-output support keeps both. */
    @Test
    void topKLargerThanTheSupportKeepsTheSupport() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0, 0.25, 0, 0.75});
        int[] counts = counts(policy, 0, 20_000, PLAIN.withTopK(3), new SplittableRandom(9));
        assertEquals(0, counts[0] + counts[2]);
        assertChiSquare(counts, new double[] {0, 0.25, 0, 0.75});
    }

    @Test
    void greedyTakesTheArgMaxWithTiesToTheLowestSupportedOutput() {
        TabularPolicy policy = TabularPolicy.ofLogits(new double[][] {{0, 2, 1}, {NEG_INF, 1, 1}});
        SamplingConfig greedy = PLAIN.withGreedy(true);
        SplittableRandom rng = new SplittableRandom(1);
        List<Completion> out = policy.sample(List.of(new int[] {0}, new int[] {1}, new int[] {0}, new int[] {1}),
                greedy, rng);
        for (int i = 0; i < out.size(); i++) {
            assertArrayEquals(new int[] {1}, out.get(i).tokens(), "completion " + i);
            assertArrayEquals(new float[] {0f}, out.get(i).logProbs(), "log 1 under the one-hot distribution");
        }
    }

    /**
     * A completion is one token whatever {@code maxNewTokens} and {@code eosToken} say, never truncated, with the
     * log-probability of its token under the (filtered) sampling distribution.
     */
    @Test
    void completionsAreOneTokenNeverTruncatedWithTheSamplingLogProbability() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4});
        for (SamplingConfig s : List.of(PLAIN.withMaxNewTokens(1), PLAIN.withMaxNewTokens(7).withEosToken(2),
                PLAIN.withTopK(2).withTemperature(0.5))) {
            List<Completion> out = policy.sample(Collections.nCopies(200, new int[] {0}), s, new SplittableRandom(4));
            double[] q = SoftmaxReference.sampling(policy.logitTable()[0], s.temperature(), s.topK(), false);
            for (Completion c : out) {
                assertEquals(1, c.length());
                assertFalse(c.truncated());
                int y = c.tokens()[0];
                assertTrue(q[y] > 0, "drew output " + y + " of sampling probability 0");
                assertEquals(Math.log(q[y]), c.logProbs()[0], 1e-6, s.toString());
            }
        }
    }

    /** One uniform variate per prompt and nothing else: the same seed gives the same completions. */
    @Test
    void theGeneratorIsTheOnlySourceOfRandomness() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {0.5, 0.5, 0, 0});
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            prompts.add(new int[] {i % 2});
        }
        SplittableRandom rng = new SplittableRandom(77);
        List<Completion> first = policy.sample(prompts, PLAIN, rng);
        assertEquals(first, policy.sample(prompts, PLAIN, new SplittableRandom(77)));
        assertFalse(first.equals(policy.sample(prompts, PLAIN, new SplittableRandom(78))), "another seed differs");
        SplittableRandom advanced = new SplittableRandom(77);
        for (int i = 0; i < prompts.size(); i++) {
            advanced.nextDouble();
        }
        assertEquals(advanced.nextLong(), rng.nextLong(), "exactly one variate per prompt was consumed");
    }

    static int[] counts(TabularPolicy policy, int row, int n, SamplingConfig s, SplittableRandom rng) {
        int[] counts = new int[policy.numOutputs()];
        for (Completion c : policy.sample(Collections.nCopies(n, policy.prompt(row)), s, rng)) {
            counts[c.tokens()[0]]++;
        }
        return counts;
    }

    /** Pearson's χ² over the cells of positive probability (cells of probability 0 must be empty). */
    static double pearson(int[] counts, double[] p) {
        long n = Arrays.stream(counts).asLongStream().sum();
        double chi2 = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                double e = n * p[i];
                chi2 += (counts[i] - e) * (counts[i] - e) / e;
            } else {
                assertEquals(0, counts[i], "cell " + i + " has probability 0");
            }
        }
        return chi2;
    }

    /** χ² below its (1 − {@link #FALSE_FAILURE}) quantile with (cells − 1) degrees of freedom. */
    static void assertChiSquare(int[] counts, double[] p) {
        int cells = (int) Arrays.stream(p).filter(v -> v > 0).count();
        double bound = new ChiSquaredDistribution(null, cells - 1).inverseCumulativeProbability(1 - FALSE_FAILURE);
        double chi2 = pearson(counts, p);
        assertTrue(chi2 < bound, "chi-square " + chi2 + " ≥ " + bound + " for counts " + Arrays.toString(counts)
                + " and probabilities " + Arrays.toString(p));
    }

    // ------------------------------------------------------------------------------------------- copy

    @Test
    void copyIsDeep() {
        TabularPolicy original = TabularPolicy.ofLogits(List.of(new int[] {4}, new int[] {9}),
                new double[][] {{0, 1, NEG_INF}, {2, 0, 0}}, DataType.FLOAT);
        original.forward(new SequenceBatch(List.of(new int[] {4}), List.of(new int[] {1})))
                .backward(Nd4j.ones(DataType.FLOAT, 1, 1));
        double[][] logits = original.logitTable();
        double[][] gradient = original.parameters().get(0).gradient().toDoubleMatrix();

        TabularPolicy copy = original.copy();
        Parameter c = copy.parameters().get(0);
        Parameter o = original.parameters().get(0);
        assertNotSame(o.value(), c.value());
        assertNotSame(o.gradient(), c.gradient());
        assertEquals(DataType.FLOAT, copy.dataType());
        assertEquals("logits", c.name());
        assertArrayEquals(logits, copy.logitTable());
        assertEquals(0.0, c.gradient().sumNumber().doubleValue(), 0, "the copy's gradient is zeroed");
        assertArrayEquals(gradient, o.gradient().toDoubleMatrix(), "the original's gradient is kept");
        assertEquals(1, copy.row(new int[] {9}));
        assertFalse(copy.inSupport(0, 2));

        c.value().addi(3);                                      // the copy moves, the original does not
        c.value().putScalar(new long[] {0, 2}, 10);             // not even by writing into the copy's zero
        assertArrayEquals(logits, original.logitTable());
        assertEquals(0.0, copy.rowProbabilities(0)[2], 0, "the copy shares the support");
        o.value().muli(2);
        assertArrayEquals(new double[] {3, 4, NEG_INF}, copy.logitTable()[0], 0);
    }

    // ------------------------------------------------------------------------------------------- FLOAT vs DOUBLE

    /**
     * The same table in FLOAT and DOUBLE: FLOAT parameters, log-probabilities and entropies, equal to the
     * reference on the float-rounded logits up to FLOAT rounding, and to DOUBLE within 1e-6; gradients too.
     */
    @Test
    void floatAndDoubleAgreeUpToFloatRounding() {
        double[][] table = {{0.1, -2.3, 1.7, NEG_INF}, {3.3, 3.3, -0.4, 0.9}};
        TabularPolicy dbl = TabularPolicy.ofLogits(List.of(new int[] {0}, new int[] {1}), table, DataType.DOUBLE);
        TabularPolicy flt = TabularPolicy.ofLogits(List.of(new int[] {0}, new int[] {1}), table, DataType.FLOAT);
        assertEquals(DataType.FLOAT, flt.dataType());
        assertEquals(DataType.FLOAT, flt.parameters().get(0).value().dataType());
        assertEquals(DataType.FLOAT, flt.parameters().get(0).gradient().dataType());
        SequenceBatch batch = new SequenceBatch(List.of(new int[] {0}, new int[] {0}, new int[] {1}, new int[] {1}),
                List.of(new int[] {2}, new int[] {1}, new int[] {0}, new int[] {3}));
        PolicyForward fd = dbl.forward(batch);
        PolicyForward ff = flt.forward(batch);
        assertEquals(DataType.FLOAT, ff.logProbs().dataType());
        assertEquals(DataType.FLOAT, ff.entropies().dataType());
        assertEquals(DataType.DOUBLE, fd.logProbs().dataType());
        int[][] pairs = {{0, 2}, {0, 1}, {1, 0}, {1, 3}};
        for (int i = 0; i < pairs.length; i++) {
            double[] rounded = new double[4];
            for (int j = 0; j < 4; j++) {
                rounded[j] = (float) table[pairs[i][0]][j];
            }
            assertEquals((float) SoftmaxReference.logProb(rounded, pairs[i][1]), ff.logProbs().getFloat(i, 0),
                    Math.ulp(ff.logProbs().getFloat(i, 0)), "FLOAT log-probability " + i);
            assertEquals((float) SoftmaxReference.entropy(rounded), ff.entropies().getFloat(i, 0),
                    Math.ulp(ff.entropies().getFloat(i, 0)), "FLOAT entropy " + i);
            assertEquals(fd.logProbs().getDouble(i, 0), ff.logProbs().getDouble(i, 0), 1e-6);
        }
        INDArray g = Nd4j.createFromArray(new double[][] {{1}, {-2}, {0.5}, {3}});
        fd.backward(g);
        ff.backward(g.castTo(DataType.FLOAT));
        double[][] gd = dbl.parameters().get(0).gradient().toDoubleMatrix();
        double[][] gf = flt.parameters().get(0).gradient().toDoubleMatrix();
        for (int x = 0; x < 2; x++) {
            assertArrayEquals(gd[x], gf[x], 1e-6, "gradient row " + x);
        }
        assertEquals(0.0, gf[0][3], 0);
        assertArrayEquals(dbl.probabilityTable()[1], flt.probabilityTable()[1], 1e-6);
    }

    // ------------------------------------------------------------------------------------------- validation

    @Test
    void factoriesNameTheArgumentAndTheValue() {
        List<int[]> one = List.of(new int[] {0});
        assertMessage(() -> TabularPolicy.ofLogits(null), "logits", "null");
        assertMessage(() -> TabularPolicy.ofLogits(new double[0][]), "logits", "at least one row");
        assertMessage(() -> TabularPolicy.ofLogits(new double[][] {{}}), "logits[0]", "empty");
        assertMessage(() -> TabularPolicy.ofLogits(new double[][] {{0, 1}, null}), "logits[1]", "null");
        assertMessage(() -> TabularPolicy.ofLogits(new double[][] {{0, 1}, {0, 1, 2}}), "logits[1]", "3 outputs",
                "logits[0] has 2");
        assertMessage(() -> TabularPolicy.ofLogits(new double[][] {{0, Double.NaN}}), "logits[0][1]", "NaN");
        assertMessage(() -> TabularPolicy.ofLogits(new double[][] {{0, 1}, {Double.POSITIVE_INFINITY, 1}}),
                "logits[1][0]", "Infinity");
        assertMessage(() -> TabularPolicy.ofLogits(new double[][] {{0, 1}, {NEG_INF, NEG_INF}}), "logits[1]",
                "at least one finite", "-Infinity");
        assertMessage(() -> TabularPolicy.ofLogits(one, new double[][] {{1e39}}, DataType.FLOAT), "logits[0][0]",
                "1.0E39", "FLOAT");
        assertMessage(() -> TabularPolicy.ofLogits(one, new double[][] {{0}}, DataType.BFLOAT16), "dataType", "BFLOAT16");
        assertMessage(() -> TabularPolicy.ofLogits(one, new double[][] {{0}}, null), "dataType", "null");
        assertMessage(() -> TabularPolicy.ofLogits(null, new double[][] {{0}}, DataType.DOUBLE), "prompts", "null");
        assertMessage(() -> TabularPolicy.ofLogits(one, new double[][] {{0}, {1}}, DataType.DOUBLE), "prompts size",
                "(1)", "(2)");
        assertMessage(() -> TabularPolicy.ofLogits(Arrays.asList(new int[] {0}, null), new double[][] {{0}, {1}},
                DataType.DOUBLE), "prompts[1]", "null");
        assertMessage(() -> TabularPolicy.ofLogits(List.of(new int[] {0}, new int[0]), new double[][] {{0}, {1}},
                DataType.DOUBLE), "prompts[1]", "empty");
        assertMessage(() -> TabularPolicy.ofLogits(List.of(new int[] {3, 1}, new int[] {3, 1}),
                new double[][] {{0}, {1}}, DataType.DOUBLE), "prompts[1]", "[3, 1]", "repeats prompts[0]");

        assertMessage(() -> TabularPolicy.ofProbabilities((double[][]) null), "probabilities", "null");
        assertMessage(() -> TabularPolicy.ofProbabilities(new double[] {0.5, 0.5}, null), "probabilities[1]", "null");
        assertMessage(() -> TabularPolicy.ofProbabilities(new double[] {1.1, -0.1}), "probabilities[0][0]", "1.1");
        assertMessage(() -> TabularPolicy.ofProbabilities(new double[] {0.5, 0.5}, new double[] {-0.25, 1.25}),
                "probabilities[1][0]", "-0.25");
        assertMessage(() -> TabularPolicy.ofProbabilities(new double[] {Double.NaN, 1}), "probabilities[0][0]",
                "NaN");
        assertMessage(() -> TabularPolicy.ofProbabilities(new double[] {0.5, 0.4}), "probabilities[0]", "sum to 1",
                "0.9");
        assertMessage(() -> TabularPolicy.ofProbabilities(new double[] {0, 0}), "probabilities[0]", "sum to 1", "0.0");

        assertMessage(() -> TabularPolicy.uniform(0, 3), "numPrompts", "0");
        assertMessage(() -> TabularPolicy.uniform(2, -1), "numOutputs", "-1");
    }

    @Test
    void accessorsNameTheArgumentAndTheValue() {
        TabularPolicy policy = TabularPolicy.uniform(3, 4);
        assertMessage(() -> policy.row(null), "prompt", "null");
        assertMessage(() -> policy.row(new int[] {7}), "prompt [7]", "3 prompts");
        assertMessage(() -> policy.probabilities(new int[] {0, 1}), "prompt [0, 1]");
        assertMessage(() -> policy.rowProbabilities(-1), "row", "[0, 3)", "-1");
        assertMessage(() -> policy.prompt(3), "row", "[0, 3)", "3");
        assertMessage(() -> policy.inSupport(3, 0), "row", "3");
        assertMessage(() -> policy.inSupport(0, 4), "output", "[0, 4)", "4");
        assertMessage(() -> policy.inSupport(0, -2), "output", "-2");
    }

    @Test
    void sampleAndForwardNameTheArgumentAndTheValue() {
        TabularPolicy policy = TabularPolicy.uniform(2, 3);
        SplittableRandom rng = new SplittableRandom(1);
        assertMessage(() -> policy.sample(null, PLAIN, rng), "prompts", "null");
        assertMessage(() -> policy.sample(List.of(new int[] {0}), null, rng), "sampling", "null");
        assertMessage(() -> policy.sample(List.of(new int[] {0}), PLAIN, null), "rng", "null");
        assertMessage(() -> policy.sample(Arrays.asList(new int[] {0}, null), PLAIN, rng), "prompts[1]", "null");
        assertMessage(() -> policy.sample(List.of(new int[] {5}), PLAIN, rng), "prompt [5]");

        assertMessage(() -> policy.forward(null), "batch", "null");
        assertMessage(() -> policy.forward(new SequenceBatch(List.of(new int[] {0}), List.of(new int[] {0, 1}))),
                "one token", "2 tokens");
        assertMessage(() -> policy.forward(new SequenceBatch(List.of(new int[] {0}, new int[] {1}),
                List.of(new int[] {0}, new int[] {3}))), "completions[1][0]", "[0, 3)", "3");
        assertMessage(() -> policy.forward(new SequenceBatch(List.of(new int[] {0}), List.of(new int[] {-1}))),
                "completions[0][0]", "-1");
        assertMessage(() -> policy.forward(new SequenceBatch(List.of(new int[] {2}), List.of(new int[] {0}))),
                "prompt [2]");

        PolicyForward f = policy.forward(new SequenceBatch(List.of(new int[] {0}, new int[] {1}),
                List.of(new int[] {0}, new int[] {2})));
        assertMessage(() -> f.backward(null), "dLossDLogProbs", "null");
        assertMessage(() -> f.backward(Nd4j.zeros(DataType.DOUBLE, 1, 2)), "dLossDLogProbs", "[2, 1]", "[1, 2]");
        assertMessage(() -> f.backward(Nd4j.zeros(DataType.DOUBLE, 2)), "dLossDLogProbs", "[2, 1]", "[2]");
        assertMessage(() -> f.backward(Nd4j.createFromArray(new double[][] {{0}, {Double.NaN}})),
                "dLossDLogProbs[1, 0]", "NaN");
        assertMessage(() -> f.backward(Nd4j.createFromArray(new double[][] {{Double.NEGATIVE_INFINITY}, {0}})),
                "dLossDLogProbs[0, 0]", "-Infinity");
        assertEquals(0.0, policy.parameters().get(0).gradient().sumNumber().doubleValue(), 0,
                "a refused backward wrote nothing");
    }

    @Test
    void toStringNamesTheShapeAndType() {
        assertEquals("TabularPolicy[prompts=2, outputs=3, dataType=DOUBLE]", TabularPolicy.uniform(2, 3).toString());
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertMessage(e, parts);
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                    "message '" + e.getMessage() + "' should contain '" + part + "'");
        }
    }
}
