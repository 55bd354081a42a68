package org.grpo4j.train;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time of one training step, split by phase: each {@link #lap} charges the time since the previous lap to a
 * phase. The trainer reports the totals as the metrics {@code time/<phase>_seconds}.
 */
final class PhaseTimes {
    /** The phases of a GRPO step, in the order they run. */
    enum Phase {
        /** drawing G completions per prompt (KV-cached decoding), and scoring by a dynamic sampler */
        SAMPLING,
        /** scoring the completions with the verifiers */
        VERIFICATION,
        /** the sampling policy's log-probabilities (only with several updates per batch) */
        OLD_LOGPROBS,
        /** the reference policy's log-probabilities (only with β &gt; 0) */
        REFERENCE_LOGPROBS,
        /** the policy's forward pass (teacher forcing) over a mini-batch */
        FORWARD,
        /** the objective: loss, gradient with respect to the log-probabilities, metrics */
        OBJECTIVE,
        /** back-propagation into the parameter gradients */
        BACKWARD,
        /** the optimiser step (and the reference sync, when due) */
        OPTIMIZER,
        /** writing a checkpoint, when due */
        CHECKPOINT,
        /** mini-batch selection, masks and metric bookkeeping */
        OTHER;

        String metric() {
            return "time/" + name().toLowerCase(Locale.ROOT) + "_seconds";
        }
    }

    private final EnumMap<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private long last = System.nanoTime();

    /**
     * Charges the time since the previous lap (or construction) to {@code phase}.
     *
     * @param phase the phase that just ended
     */
    void lap(Phase phase) {
        long now = System.nanoTime();
        nanos.merge(phase, now - last, Long::sum);
        last = now;
    }

    /**
     * Adds {@code time/<phase>_seconds} for every phase (0 for one that did not run).
     *
     * @param metrics the step's metrics, added to
     */
    void putInto(Map<String, Double> metrics) {
        for (Phase p : Phase.values()) {
            metrics.put(p.metric(), nanos.getOrDefault(p, 0L) / 1e9);
        }
    }
}
