package org.grpo4j.spark.bench;

import java.util.Arrays;
import org.grpo4j.Checks;

/**
 * Wall times of repeated steps and the summary the benchmark prints.
 *
 * @param seconds each measured step's wall time (copied)
 */
public record StepTimes(double[] seconds) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if {@code seconds} is null or empty or holds a negative or non-finite time
     */
    public StepTimes {
        Checks.notNull("seconds", seconds);
        if (seconds.length == 0) {
            throw new IllegalArgumentException("seconds must not be empty");
        }
        seconds = seconds.clone();
        for (int i = 0; i < seconds.length; i++) {
            if (!(seconds[i] >= 0 && seconds[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("seconds[" + i + "] must be finite and ≥ 0, was " + seconds[i]);
            }
        }
    }

    /** @return a copy of the times */
    @Override
    public double[] seconds() {
        return seconds.clone();
    }

    /** @return the median time (the mean of the two middle ones for an even count) */
    public double median() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * @param completions completions per step
     * @return completions per second at the median step time
     * @throws IllegalArgumentException if {@code completions < 1}
     */
    public double throughput(int completions) {
        Checks.atLeast("completions", completions, 1);
        return completions / median();
    }
}
