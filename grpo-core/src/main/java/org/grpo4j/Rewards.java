package org.grpo4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scored rewards of a {@link GroupBatch}: the weighted total per sequence and each verifier's own score.
 *
 * @param total      {@code [N]} the reward the objective uses, {@code sum_k weight_k * score_k} over the verifiers
 *                   that scored the completion (0 when all abstained); finite (copied)
 * @param byVerifier each verifier's unweighted {@code [N]} scores, by name, in the combination's order (copied);
 *                   0 where the verifier abstained, which {@code abstained} records
 * @param failures   how many (sequence, verifier) scores came from a verifier that threw and were replaced by the
 *                   configured failure reward
 * @param timeouts   how many were replaced because the verifier exceeded its time limit
 * @param abandoned  how many verifier calls exceeded their time limit while still running and were abandoned: they
 *                   were interrupted, and each keeps one of the runner's slots until it returns (see
 *                   {@code docs/training.md}); a call covers one completion, or several for a batch verifier
 * @param abstained  for each verifier that abstained at least once ({@link PartialRewardVerifier}), by name,
 *                   {@code [N]} whether it abstained on each completion; empty when every verifier scored every
 *                   completion (copied)
 */
public record Rewards(double[] total, Map<String, double[]> byVerifier, int failures, int timeouts, int abandoned,
                      Map<String, boolean[]> abstained) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an array is null, a value is not finite, lengths differ, a counter is
     *                                  negative, or {@code abstained} names a verifier {@code byVerifier} lacks
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
        Checks.notNull("abstained", abstained);
        Map<String, boolean[]> flags = new LinkedHashMap<>();
        for (Map.Entry<String, boolean[]> e : abstained.entrySet()) {
            if (!byVerifier.containsKey(e.getKey())) {
                throw new IllegalArgumentException("abstained names verifier '" + e.getKey() + "', which byVerifier "
                        + "lacks " + byVerifier.keySet());
            }
            if (e.getValue().length != total.length) {
                throw new IllegalArgumentException("abstained['" + e.getKey() + "'] length (" + e.getValue().length
                        + ") must equal total length (" + total.length + ")");
            }
            flags.put(e.getKey(), e.getValue().clone());
        }
        abstained = java.util.Collections.unmodifiableMap(flags);
    }

    /**
     * Rewards without abstentions.
     *
     * @param total      see the record
     * @param byVerifier see the record
     * @param failures   see the record
     * @param timeouts   see the record
     * @param abandoned  see the record
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Rewards(double[] total, Map<String, double[]> byVerifier, int failures, int timeouts, int abandoned) {
        this(total, byVerifier, failures, timeouts, abandoned, Map.of());
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
        this(total, byVerifier, failures, timeouts, 0, Map.of());
    }

    /**
     * Whether a verifier abstained on a completion.
     *
     * @param verifier the verifier's name
     * @param i        the completion, in {@code [0, N)}
     * @return true if it gave no score there
     * @throws IllegalArgumentException  if no verifier has that name
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public boolean abstained(String verifier, int i) {
        if (!byVerifier.containsKey(verifier)) {
            throw new IllegalArgumentException("no verifier named '" + verifier + "', only " + byVerifier.keySet());
        }
        java.util.Objects.checkIndex(i, total.length);
        boolean[] f = abstained.get(verifier);
        return f != null && f[i];
    }

    /**
     * A verifier's score of a completion, empty where it abstained.
     *
     * @param verifier the verifier's name
     * @param i        the completion, in {@code [0, N)}
     * @return the unweighted score, or empty
     * @throws IllegalArgumentException  if no verifier has that name
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public java.util.OptionalDouble score(String verifier, int i) {
        return abstained(verifier, i) ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(byVerifier.get(verifier)[i]);
    }

    /** @return how many (completion, verifier) pairs have no score */
    public int abstentions() {
        int n = 0;
        for (boolean[] f : abstained.values()) {
            for (boolean b : f) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }

    /** @return how many completions no verifier scored (their total is 0); 0 when there are no verifiers */
    public int allAbstained() {
        if (byVerifier.isEmpty() || abstained.size() < byVerifier.size()) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < total.length; i++) {
            boolean all = true;
            for (boolean[] f : abstained.values()) {
                all &= f[i];
            }
            n += all ? 1 : 0;
        }
        return n;
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
     * @return the slice, with the failure counters and the abstentions of those rows kept
     * @throws IllegalArgumentException if the range is outside {@code [0, N]}
     */
    public Rewards slice(int from, int to) {
        if (from < 0 || to > total.length || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") must lie in [0, " + total.length + "]");
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        byVerifier.forEach((k, v) -> m.put(k, java.util.Arrays.copyOfRange(v, from, to)));
        Map<String, boolean[]> a = new LinkedHashMap<>();
        abstained.forEach((k, v) -> a.put(k, java.util.Arrays.copyOfRange(v, from, to)));
        return new Rewards(java.util.Arrays.copyOfRange(total, from, to), m, failures, timeouts, abandoned, a);
    }
}
