package org.grpo4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one training step, by name (TRL's names where it has them: {@code reward}, {@code reward_std},
 * {@code rewards/<verifier>/mean}, {@code frac_reward_zero_std}, {@code kl}, {@code clip_ratio/*}, {@code entropy},
 * {@code completions/mean_length}, …; the full list is in {@code docs/training.md}).
 *
 * @param step   the 1-based step number
 * @param values the metrics, in a stable order (copied, unmodifiable); no null names or values
 */
public record StepMetrics(int step, Map<String, Double> values) {

    /**
     * Checks and copies the map. Every metric has a value ({@link #get} returns a {@code double}): one without a
     * meaningful value is NaN (which {@link JsonLinesMetricsWriter} writes as JSON {@code null}), never null.
     *
     * @throws IllegalArgumentException if {@code values} is null, or holds a null name or a null value (the
     *                                  message names the metric)
     */
    public StepMetrics {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException("values must not hold a null metric name, had one with value "
                        + e.getValue());
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("values['" + e.getKey() + "'] must not be null; use NaN for "
                        + "an undefined metric");
            }
            copy.put(e.getKey(), e.getValue());
        }
        values = Collections.unmodifiableMap(copy);
    }

    /**
     * One metric.
     *
     * @param name the metric's name
     * @return its value
     * @throws IllegalArgumentException if there is no such metric
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric named '" + name + "'; have " + values.keySet());
        }
        return v;
    }
}
