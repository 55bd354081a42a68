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
 * @param values the metrics, in a stable order (copied, unmodifiable)
 */
public record StepMetrics(int step, Map<String, Double> values) {

    /**
     * Copies the map.
     *
     * @throws IllegalArgumentException if {@code values} is null
     */
    public StepMetrics {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
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
