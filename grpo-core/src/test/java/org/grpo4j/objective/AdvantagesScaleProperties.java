package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.testing.ObjectiveArbitraries;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Advantages} does not depend on the rewards' scale when they are scaled by a standard deviation, and is
 * finite or an {@link AdvantageRangeException} for any finite rewards, of any magnitude.
 */
class AdvantagesScaleProperties {

    /** A configuration and a batch of whole groups of rewards in [−1, 1], 0 or at least 1e-6 in magnitude. */
    record Batch(GrpoConfig config, double[] rewards) {
    }

    @Provide
    Arbitrary<Batch> stdScaledBatches() {
        return ObjectiveArbitraries.configs()
                .filter(c -> c.advantageScaling() != AdvantageScaling.NONE)
                .flatMap(c -> Arbitraries.integers().between(1, 4).flatMap(b -> moderate()
                        .array(double[].class).ofSize(b * c.groupSize())
                        .map(r -> new Batch(c, r))));
    }

    @Provide
    Arbitrary<Batch> anyBatches() {
        return ObjectiveArbitraries.configs().flatMap(c -> Arbitraries.integers().between(1, 4).flatMap(
                b -> extreme().array(double[].class).ofSize(b * c.groupSize()).map(r -> new Batch(c, r))));
    }

    private static Arbitrary<Double> moderate() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0.0, 1.0, -1.0, 0.5)),
                net.jqwik.api.Tuple.of(5, Arbitraries.doubles().between(-1, 1)
                        .filter(x -> x == 0 || Math.abs(x) >= 1e-6)));
    }

    /** Finite doubles of every magnitude: 0, subnormals, 1e-300, ordinary values, 1e300, ±Double.MAX_VALUE. */
    private static Arbitrary<Double> extreme() {
        Arbitrary<Double> mantissa = Arbitraries.doubles().between(1, 2);
        Arbitrary<Integer> exponent = Arbitraries.integers().between(-1074, 1023);
        Arbitrary<Double> anyMagnitude = Combinators.combine(mantissa, exponent, Arbitraries.of(1.0, -1.0))
                .as((m, e, s) -> s * Math.min(Double.MAX_VALUE, Math.scalb(m, e)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE,
                        1e-300, 1e300, 1.0)),
                net.jqwik.api.Tuple.of(4, anyMagnitude),
                net.jqwik.api.Tuple.of(2, Arbitraries.doubles().between(-1, 1)));
    }

    /**
     * With ε scaled along (ε = 0 here), multiplying every reward by a power of two 2^k, k from −900 to 900, gives
     * bit-identical advantages under GROUP_STD and BATCH_STD (the scaling is exact and the moments scale-free).
     *
     * @param b batch
     * @param k exponent of the scale
     */
    @Property(tries = 300)
    void powerOfTwoScalesGiveIdenticalAdvantages(@ForAll("stdScaledBatches") Batch b,
                                                 @ForAll @IntRange(min = -900, max = 900) int k) {
        GrpoConfig c = b.config().toBuilder().advantageEpsilon(0).build();
        double[] scaled = b.rewards().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = Math.scalb(scaled[i], k);
        }
        assertArrayEquals(Advantages.compute(b.rewards(), c), Advantages.compute(scaled, c), 0.0,
                () -> c + " k=" + k);
        Statistics.label("|k| > 500").collect(Math.abs(k) > 500);
        Statistics.label("scaling").collect(c.advantageScaling());
    }

    /**
     * Multiplying by c = m · 10^k (any mantissa, k from −300 to 300) with ε scaled by c too gives the same
     * advantages to 1e-12 of the largest: the only differences are the roundings of c · r and c · ε.
     *
     * @param b        batch
     * @param k        decimal exponent
     * @param mantissa in [1, 10)
     */
    @Property(tries = 300)
    void anyScaleGivesTheSameAdvantages(@ForAll("stdScaledBatches") Batch b,
                                        @ForAll @IntRange(min = -300, max = 300) int k,
                                        @ForAll("mantissas") double mantissa) {
        double scale = mantissa * Math.pow(10, k);
        GrpoConfig c = b.config();
        GrpoConfig cScaled = c.toBuilder().advantageEpsilon(c.advantageEpsilon() * scale).build();
        double[] scaled = b.rewards().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= scale;
        }
        double[] expected = Advantages.compute(b.rewards(), c);
        double[] actual = Advantages.compute(scaled, cScaled);
        double largest = 0;
        for (double a : expected) {
            largest = Math.max(largest, Math.abs(a));
        }
        // c · r rounds every reward by half an ulp; a deviation of 1e-6 against rewards of 1 amplifies that by 1e6
        assertArrayEquals(expected, actual, 1e-9 * Math.max(largest, 1), () -> c + " scale=" + scale);
        Statistics.label("decade").collect(k < -100 ? "< 1e-100" : k > 100 ? "> 1e100" : "moderate");
    }

    @Provide
    Arbitrary<Double> mantissas() {
        return Arbitraries.doubles().between(1, 10);
    }

    /**
     * For finite rewards of any magnitude and any configuration, the advantages are finite — also when returned as
     * FLOAT — or the call throws an {@link AdvantageRangeException} naming a group whose rewards are in the batch.
     *
     * @param b batch with extreme rewards
     */
    @Property(tries = 500)
    void advantagesAreFiniteOrAnError(@ForAll("anyBatches") Batch b) {
        String outcome;
        try {
            double[] a = Advantages.compute(b.rewards(), b.config());
            for (double x : a) {
                assertTrue(Double.isFinite(x), () -> java.util.Arrays.toString(a));
            }
            outcome = "finite";
        } catch (AdvantageRangeException e) {
            int g = b.config().groupSize();
            assertArrayEquals(java.util.Arrays.copyOfRange(b.rewards(), e.group() * g, (e.group() + 1) * g),
                    e.rewards(), 0.0);
            assertEquals(AdvantageScaling.NONE, b.config().advantageScaling(), "only an unscaled advantage overflows");
            outcome = "overflow";
        }
        float[] f = new float[b.rewards().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) b.rewards()[i];
        }
        boolean finiteFloats = true;
        for (float x : f) {
            finiteFloats &= Float.isFinite(x);
        }
        if (finiteFloats) {
            try {
                double[] a = Advantages.compute(Nd4j.createFromArray(f), b.config()).toDoubleVector();
                for (double x : a) {
                    assertTrue(Double.isFinite(x), () -> java.util.Arrays.toString(a));
                }
            } catch (AdvantageRangeException e) {
                assertEquals(AdvantageScaling.NONE, b.config().advantageScaling());
                assertTrue(e.getMessage().contains(DataType.FLOAT.toString()), e.getMessage());
            }
        }
        Statistics.label("outcome").collect(outcome);
        Statistics.label("scaling").collect(b.config().advantageScaling());
    }
}
