package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The "Finite results" guarantee of {@code docs/objective.md}: for every configuration and every finite input whose
 * β and advantages the data type admits, the loss, every gradient entry and every metric are finite, and they
 * agree with {@link ReferenceGrpoObjective}, which clamps the log-ratios by the same documented rule; a β or an
 * advantage the type does not admit is rejected, naming it. Inputs come from {@link ExtremeArbitraries}; the
 * statistics show that every extreme occurs. {@link CorrectionFiniteResultsLaws} adds the per-token corrections.
 */
public interface FiniteResultsLaws extends CorrectionFiniteResultsLaws {

    /**
     * The objective under test.
     *
     * @return the objective
     */
    @Override
    GrpoObjective objective();

    /** @return extreme cases */
    @Provide
    default Arbitrary<ObjectiveCase> extremeCases() {
        return ExtremeArbitraries.cases();
    }

    /** @return FLOAT or DOUBLE */
    @Provide
    default Arbitrary<DataType> dataTypes() {
        return ExtremeArbitraries.dataTypes();
    }

    /**
     * Loss, gradient and metrics are finite, masked gradient entries exactly 0, and everything agrees with the
     * reference, for random configurations × extreme inputs in FLOAT and DOUBLE.
     *
     * @param c    the case
     * @param type the data type of the input arrays
     */
    @Property(tries = 300)
    default void lossGradientAndMetricsAreFinite(@ForAll("extremeCases") ObjectiveCase c,
                                                 @ForAll("dataTypes") DataType type) {
        ObjectiveResult r = objective().evaluate(c.toInput(type), c.config());
        List<String> errors = new ArrayList<>(nonFinite(r, c));
        if (errors.isEmpty()) {
            errors.addAll(ResultComparison.compareWithReference(r, c, Tolerance.of(type)));
        }
        assertTrue(errors.isEmpty(), () -> type + " inputs: " + ResultComparison.describe(errors, c));
        collect(c, type);
    }

    /**
     * Every one of the 828 {@link ConfigVariant#suite()} variants, on each generated extreme batch (FLOAT): finite,
     * and equal to the reference.
     *
     * @param c the batch; its numbers are kept, its variant replaced
     */
    @Property(tries = 4)
    default void everyVariantIsFiniteOnExtremeInputs(@ForAll("extremeCases") ObjectiveCase c) {
        ConfigNumbers numbers = ConfigNumbers.of(c.config());
        List<String> failures = new ArrayList<>();
        for (ConfigVariant v : ConfigVariant.suite()) {
            ObjectiveCase vc = c.withConfig(v.config(numbers));
            ObjectiveResult r = objective().evaluate(vc.toInput(DataType.FLOAT), vc.config());
            List<String> errors = nonFinite(r, vc);
            if (errors.isEmpty()) {
                errors = ResultComparison.compareWithReference(r, vc, Tolerance.FLOAT);
            }
            if (!errors.isEmpty() && failures.size() < 5) {
                failures.add(v + ": " + errors.get(0));
            }
        }
        assertTrue(failures.isEmpty(), () -> "variants failing on extreme inputs:\n  "
                + String.join("\n  ", failures) + "\n" + c);
    }

    /**
     * A β above the data type's limit ({@code max / (4 e^20)}) is rejected naming beta, its value and the type; so is
     * a precomputed advantage above it.
     *
     * @param c      the case
     * @param type   the data type
     * @param factor how far above the limit (1.01 to 1e9 times)
     */
    @Property(tries = 60)
    default void betaOrAdvantageAboveTheLimitIsRejected(@ForAll("extremeCases") ObjectiveCase c,
                                                        @ForAll("dataTypes") DataType type,
                                                        @ForAll("factors") double factor) {
        double limit = ReferenceGrpoObjective.magnitudeLimit(type);
        GrpoConfig big = c.config().toBuilder().beta(limit * factor).build();
        ObjectiveInput in = c.withConfig(big).toInput(type);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> objective().evaluate(in, big));
        for (String f : new String[] {"beta", String.valueOf(big.beta()), type.toString()}) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        double[] a = new double[c.n()];
        a[c.n() - 1] = -limit * factor;
        ObjectiveInput withA = c.withAdvantages(a).toInput(DataType.DOUBLE);
        ObjectiveInput typed = new ObjectiveInput(withA.rewards(), withA.advantages(), c.toInput(type).logpNew(),
                c.toInput(type).logpOld(), c.toInput(type).logpRef(), c.toInput(type).mask());
        e = assertThrows(IllegalArgumentException.class, () -> objective().evaluate(typed, c.config()));
        for (String f : new String[] {"advantages[" + (c.n() - 1) + "]", type.toString()}) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    /** @return factors from just above 1 to 1e9 */
    @Provide
    default Arbitrary<Double> factors() {
        return Arbitraries.of(1.01, 2.0, 1e3, 1e9);
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static List<String> nonFinite(ObjectiveResult r, ObjectiveCase c) {
        List<String> errors = new ArrayList<>();
        if (!Double.isFinite(r.loss())) {
            errors.add("loss = " + r.loss());
        }
        double[][] g = Matrices.toMatrix(r.gradient());
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g[i].length; j++) {
                if (!Double.isFinite(g[i][j])) {
                    errors.add("gradient[" + i + ", " + j + "] = " + g[i][j]);
                }
            }
        }
        r.metrics().asMap().forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                errors.add(k + " = " + v);
            }
        });
        assertEquals(c.n(), g.length);
        return errors;
    }

    /* Statistics that prove the extremes occur, with coverage checks. */
    private static void collect(ObjectiveCase c, DataType type) {
        double maxPolicy = 0;
        double maxRef = 0;
        boolean floatOverflow = false;
        for (int i = 0; i < c.n(); i++) {
            for (int j = 0; j < c.t(); j++) {
                if (c.mask()[i][j] == 0) {
                    continue;
                }
                if (c.logpOld() != null) {
                    double u = c.logpNew()[i][j] - c.logpOld()[i][j];
                    maxPolicy = Math.max(maxPolicy, Math.abs(u));
                    floatOverflow |= Math.abs(u) > Float.MAX_VALUE;
                }
                maxRef = Math.max(maxRef, Math.abs(c.logpRef()[i][j] - c.logpNew()[i][j]));
                floatOverflow |= Math.abs(c.logpRef()[i][j] - c.logpNew()[i][j]) > Float.MAX_VALUE;
            }
        }
        double maxA = 0;
        for (double a : c.reference().advantages()) {
            maxA = Math.max(maxA, Math.abs(a));
        }
        Statistics.label("largest |ℓ − ℓ_old|").collect(bucket(maxPolicy));
        Statistics.label("largest |ℓ_ref − ℓ|").collect(bucket(maxRef));
        Statistics.label("a FLOAT difference overflows").collect(floatOverflow);
        Statistics.label("beta").collect(c.config().beta() >= 1e25 ? "≥ 1e25" : c.config().beta() >= 1e10
                ? "1e10" : "≤ 1");
        Statistics.label("largest |A|").collect(maxA >= 1e20 ? "≥ 1e20" : "< 1e20");
        Statistics.label("data type").collect(type);
        ConfigVariant v = ConfigVariant.of(c.config());
        Statistics.label("importance × KL × dual clip × beta > 0").collect(v.importance(), v.kl(), v.dualClip(),
                v.positiveBeta());
        Statistics.label("aggregation").collect(v.aggregation());
        Statistics.label("largest |ℓ − ℓ_old|").coverage(cov -> {
            for (String b : new String[] {"< 20", "89 to 1e3", "> 1e3"}) {
                cov.check(b).percentage(p -> p >= 2);
            }
            cov.check("20 to 89").percentage(p -> p >= 1);   // the batch's largest is rarely in this band
        });
        Statistics.label("largest |ℓ_ref − ℓ|").coverage(cov -> {
            for (String b : new String[] {"< 20", "89 to 1e3", "> 1e3"}) {
                cov.check(b).percentage(p -> p >= 2);
            }
        });
        Statistics.label("a FLOAT difference overflows").coverage(cov -> cov.check(true).percentage(p -> p >= 5));
        Statistics.label("beta").coverage(cov -> cov.check("≥ 1e25").percentage(p -> p >= 10));
        Statistics.label("largest |A|").coverage(cov -> cov.check("≥ 1e20").percentage(p -> p >= 5));
        Statistics.label("data type").coverage(cov -> cov.check(DataType.FLOAT).percentage(p -> p >= 25));
    }

    private static String bucket(double x) {
        return x < 20 ? "< 20" : x < 89 ? "20 to 89" : x <= 1e3 ? "89 to 1e3" : "> 1e3";
    }
}
