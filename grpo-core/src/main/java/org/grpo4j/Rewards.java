package org.grpo4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scored rewards of a {@link GroupBatch}: the weighted total per sequence and each verifier's own score.
 *
 * @param total      {@code [N]} the reward the objective uses, {@code sum_k weight_k * score_k}; finite (copied)
 * @param byVerifier each verifier's unweighted {@code [N]} scores, by name, in the combination's order (copied)
 * @param failures   how many (sequence, verifier) scores came from a verifier that threw and were replaced by the
 *                   configured failure reward
 * @param timeouts   how many were replaced because the verifier exceeded its time limit
 * @param abandoned  how many verifier calls exceeded their time limit while still running and were abandoned: they
 *                   were interrupted, and each keeps one of the runner's slots until it returns (see
 *                   {@code docs/training.md}); a call covers one completion, or several for a batch verifier
 */
public record Rewards(double[] total, Map<String, double[]> byVerifier, int failures, int timeouts, int abandoned) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an array is null, a value is not finite, lengths differ or a counter is
     *                                  negative
     */
    public Rewards {
        Checks.notNull("total", total);
        Checks.notNull("byVerifier", byVerifier);
        total = total.clone();
        for (int i = 0; i < total.length; i++) {
            Checks.finite("total[" + i + "]", total[i]);
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : byVerifier.entrySet()) {
            if (e.getValue().length != total.length) {
                throw new IllegalArgumentException("byVerifier['" + e.getKey() + "'] length (" + e.getValue().length
                        + ") must equal total length (" + total.length + ")");
            }
            copy.put(e.getKey(), e.getValue().clone());
        }
        byVerifier = java.util.Collections.unmodifiableMap(copy);
        Checks.atLeast("failures", failures, 0);
        Checks.atLeast("timeouts", timeouts, 0);
        Checks.atLeast("abandoned", abandoned, 0);
    }

    /**
     * Rewards without abandoned calls.
     *
     * @param total      see the record
     * @param byVerifier see the record
     * @param failures   see the record
     * @param timeouts   see the record
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Rewards(double[] total, Map<String, double[]> byVerifier, int failures, int timeouts) {
        this(total, byVerifier, failures, timeouts, 0);
    }

    /** @return a copy of the total rewards */
    @Override
    public double[] total() {
        return total.clone();
    }

    /** @return N */
    public int size() {
        return total.length;
    }

    /**
     * The rows {@code [from, to)}.
     *
     * @param from first row
     * @param to   end row (exclusive)
     * @return the slice, with the failure counters kept
     * @throws IllegalArgumentException if the range is outside {@code [0, N]}
     */
    public Rewards slice(int from, int to) {
        if (from < 0 || to > total.length || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") must lie in [0, " + total.length + "]");
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        byVerifier.forEach((k, v) -> m.put(k, java.util.Arrays.copyOfRange(v, from, to)));
        return new Rewards(java.util.Arrays.copyOfRange(total, from, to), m, failures, timeouts, abandoned);
    }
}
