package org.grpo4j.tasks.study.report;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.grpo4j.Checks;

/**
 * A mean over seeds with its two-sided 95% confidence interval from Student's t distribution:
 * {@code mean ± t(0.975, n − 1) · s / sqrt(n)}. With one seed the half-width is NaN (no interval).
 *
 * @param mean      the sample mean
 * @param halfWidth the interval's half-width, NaN when {@code n < 2}
 * @param n         the number of values; ≥ 1
 */
public record Estimate(double mean, double halfWidth, int n) {
    /** The confidence level of every interval in the report. */
    public static final double LEVEL = 0.95;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code mean} is not finite
     */
    public Estimate {
        Checks.atLeast("n", n, 1);
        Checks.finite("mean", mean);
    }

    /**
     * The estimate from values.
     *
     * @param values one per seed, finite; at least one
     * @return mean and interval
     * @throws IllegalArgumentException if {@code values} is null, empty or holds a non-finite value
     */
    public static Estimate of(double... values) {
        Checks.notNull("values", values);
        if (values.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        SummaryStatistics s = new SummaryStatistics();
        for (double v : values) {
            s.addValue(Checks.finite("value", v));
        }
        int n = values.length;
        double half = n < 2 ? Double.NaN
                : new TDistribution(null, n - 1).inverseCumulativeProbability(0.5 + LEVEL / 2)
                * s.getStandardDeviation() / Math.sqrt(n);
        return new Estimate(s.getMean(), half, n);
    }

    /** @return the interval's lower end (the mean when there is none) */
    public double lower() {
        return Double.isNaN(halfWidth) ? mean : mean - halfWidth;
    }

    /** @return {@code 0.412 ± 0.031}, or {@code 0.412} with one seed */
    @Override
    public String toString() {
        return Double.isNaN(halfWidth) ? String.format(Locale.ROOT, "%.3f", mean)
                : String.format(Locale.ROOT, "%.3f ± %.3f", mean, halfWidth);
    }
}
