package org.grpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.grpo4j.GroupBatch;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.objective.FusedGrpoObjective;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.sampling.KeyedGroupSampler;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.grpo4j.verify.FailurePolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierException;
import org.grpo4j.verify.VerifierRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SparkGroupSampler} in {@code local[2]}: the batch of the local {@link KeyedGroupSampler}, scored as a local
 * {@link VerifierRunner} scores it, for every partition count; a training run through it has the local run's
 * weights bit for bit.
 */
class SparkGroupSamplerTest {
    private static final VerifierConfig RUNNER = VerifierConfig.defaults();
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.local();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static GroupBatch local(Policy policy, List<Prompt> prompts, int g, long seed) {
        return new KeyedGroupSampler().sample(policy, prompts, g, Fixtures.SAMPLING, new SplittableRandom(seed));
    }

    private static Rewards localScores(GroupBatch batch, RewardVerifier verifier) {
        try (VerifierRunner r = new VerifierRunner(verifier, RUNNER)) {
            return r.score(batch);
        }
    }

    static void assertSameBatch(GroupBatch expected, Rewards expectedRewards, GroupBatch actual) {
        assertEquals(expected.prompts(), actual.prompts());
        assertEquals(expected.groupSize(), actual.groupSize());
        assertEquals(expected.completions(), actual.completions(), "tokens, sampling log-probs, truncation");
        Rewards r = actual.scored().orElseThrow();
        assertArrayEquals(expectedRewards.total(), r.total());
        assertEquals(expectedRewards.byVerifier().keySet(), r.byVerifier().keySet());
        expectedRewards.byVerifier().forEach((k, v) -> assertArrayEquals(v, r.byVerifier().get(k), k));
        assertEquals(expectedRewards.failures(), r.failures());
        assertEquals(expectedRewards.timeouts(), r.timeouts());
    }

    /** The core test: 1, 2, 3 and 7 partitions (7 leaves one empty) all return the local batch. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7})
    void theBatchIsTheLocalSamplersWhateverThePartitioning(int partitions) {
        TransformerPolicy policy = Fixtures.transformer(3);
        List<Prompt> prompts = Fixtures.prompts(6, 4);
        GroupBatch expected = local(policy, prompts, 4, 77);
        Rewards expectedRewards = localScores(expected, new Fixtures.TargetCount());
        SplittableRandom rng = new SplittableRandom(77);
        GroupBatch actual = SparkGroupSampler.of(spark, PolicyCodec.transformer(),
                VerifierFactory.of(new Fixtures.TargetCount()), RUNNER, partitions)
                .sample(policy, prompts, 4, Fixtures.SAMPLING, rng);
        assertSameBatch(expected, expectedRewards, actual);
        SplittableRandom after = new SplittableRandom(77);
        after.nextLong();
        assertEquals(after.nextLong(), rng.nextLong(), "one draw from the step generator, as the local sampler");
        boolean someLogProbBelowZero = actual.completions().stream()
                .anyMatch(c -> c.logProbs().length > 0 && c.logProbs()[0] < 0);
        assertTrue(someLogProbBelowZero, "the sampling log-probs travel back");
    }

    /** Any policy whose parameters define it travels with {@link PolicyCodec#parameters}; combined verifiers too. */
    @Test
    void aTabularPolicyAndACombinedVerifier() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {0.25, 0.25, 0.25, 0.25}, new double[] {0.7, 0.1, 0.1, 0.1});
        List<Prompt> prompts = List.of(Prompt.of("a", 0), Prompt.of("b", 1), Prompt.of("c", 2), Prompt.of("d", 1));
        VerifierFactory verifier = () -> RewardVerifier.combine(
                new org.grpo4j.WeightedVerifier("is3", 1.0, (p, c) -> c[0] == 3 ? 1 : 0),
                new org.grpo4j.WeightedVerifier("small", 0.5, (p, c) -> c[0] < 2 ? 1 : 0));
        GroupBatch expected = new KeyedGroupSampler().sample(policy, prompts, 5,
                org.grpo4j.SamplingConfig.defaults(), new SplittableRandom(9));
        Rewards expectedRewards;
        try {
            expectedRewards = localScores(expected, verifier.create());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        PolicyCodec codec = PolicyCodec.parameters(() -> TabularPolicy.uniform(3, 4));
        GroupBatch actual = SparkGroupSampler.of(spark, codec, verifier, RUNNER, 3).sample(policy, prompts, 5,
                org.grpo4j.SamplingConfig.defaults(), new SplittableRandom(9));
        assertSameBatch(expected, expectedRewards, actual);
        assertEquals(List.of("is3", "small"), List.copyOf(actual.scored().orElseThrow().byVerifier().keySet()));
    }

    private static TrainerConfig training(int steps, boolean dynamic) {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0.04).build())
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.01).build())
                .sampling(Fixtures.SAMPLING).promptsPerStep(4).dynamicSampling(dynamic).maxExtraSamplingRounds(2)
                .steps(steps).seed(5).build();
    }

    private static float[][] weights(Policy p) {
        List<Parameter> ps = p.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ps.get(i).value().dup().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
        }
        return out;
    }

    /**
     * Three GRPO steps through the Spark sampler end at the local keyed sampler's weights, bit for bit; with DAPO's
     * dynamic sampling too, which asks the Spark sampler for each extra round.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTrainingRunMatchesTheLocalRunBitForBit(boolean dynamic) {
        List<Prompt> prompts = Fixtures.prompts(10, 8);
        TransformerPolicy localPolicy = Fixtures.transformer(11);
        TransformerPolicy sparkPolicy = Fixtures.transformer(11);
        RewardVerifier verifier = dynamic ? new Fixtures.ContainsTarget() : new Fixtures.TargetCount();
        VerifierFactory factory = dynamic ? () -> new Fixtures.ContainsTarget() : () -> new Fixtures.TargetCount();
        double[] localRewards = new double[3];
        double[] sparkRewards = new double[3];
        double dropped = 0;
        try (GrpoTrainer t = new GrpoTrainer(training(3, dynamic), localPolicy, verifier, prompts,
                FusedGrpoObjective.create(), new KeyedGroupSampler())) {
            for (int s = 0; s < 3; s++) {
                localRewards[s] = t.step().get("reward");
            }
        }
        SparkGroupSampler sampler = SparkGroupSampler.of(spark, PolicyCodec.transformer(), factory, RUNNER, 3);
        try (GrpoTrainer t = new GrpoTrainer(training(3, dynamic), sparkPolicy, verifier, prompts,
                FusedGrpoObjective.create(), sampler)) {
            for (int s = 0; s < 3; s++) {
                org.grpo4j.train.StepMetrics m = t.step();
                sparkRewards[s] = m.get("reward");
                dropped += m.get("sampling/dropped_groups");
            }
        }
        assertEquals(dynamic, dropped > 0, "dynamic sampling asked the Spark sampler for extra rounds");
        assertArrayEquals(localRewards, sparkRewards);
        float[][] a = weights(localPolicy);
        float[][] b = weights(sparkPolicy);
        float[][] initial = weights(Fixtures.transformer(11));
        boolean moved = false;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                assertEquals(Float.floatToRawIntBits(a[i][j]), Float.floatToRawIntBits(b[i][j]),
                        "parameter " + i + " element " + j);
                moved |= a[i][j] != initial[i][j];
            }
        }
        assertTrue(moved, "training changed the weights");
    }

    /** A verifier failing under FAIL fails the step with a VerifierException, as locally. */
    @Test
    void aFailingVerifierFailsTheStepAsLocally() {
        VerifierFactory failing = () -> RewardVerifier.named("boom", (p, c) -> {
            throw new IllegalStateException("no");
        });
        SparkGroupSampler s = SparkGroupSampler.of(spark, PolicyCodec.transformer(), failing,
                new VerifierConfig(1, java.time.Duration.ofSeconds(5), FailurePolicy.FAIL, 0), 2);
        VerifierException e = assertThrows(VerifierException.class, () -> s.sample(Fixtures.transformer(1),
                Fixtures.prompts(2, 1), 2, Fixtures.SAMPLING, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }

    @Test
    void badArgumentsAreRejectedByName() {
        VerifierFactory v = VerifierFactory.of(new Fixtures.TargetCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkGroupSampler.of(spark, PolicyCodec.transformer(), v, RUNNER, 0));
        assertEquals("partitions must be ≥ 1, was 0", e.getMessage());
        SparkGroupSampler s = SparkGroupSampler.of(spark, PolicyCodec.transformer(), v, RUNNER);
        assertEquals(spark.defaultParallelism(), s.partitions());
        assertThrows(IllegalArgumentException.class, () -> s.sample(Fixtures.transformer(1), List.of(), 2,
                Fixtures.SAMPLING, new SplittableRandom(1)));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> PolicyCodec.transformer().encode(TabularPolicy.uniform(2, 2)));
        assertTrue(wrong.getMessage().contains("PolicyCodec.parameters"), wrong.getMessage());
        PolicyCodec small = PolicyCodec.parameters(() -> TabularPolicy.uniform(2, 2));
        byte[] larger = PolicyCodec.parameters(() -> TabularPolicy.uniform(3, 4)).encode(TabularPolicy.uniform(3, 4));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> small.decode(larger));
        assertTrue(shape.getMessage().startsWith("parameter 0 ("), shape.getMessage());
        assertThrows(java.io.UncheckedIOException.class, () -> small.decode(new byte[] {1, 2, 3}));
    }
}
