package org.grpo4j.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A listener that adds up the trainer's per-phase wall times ({@code time/<phase>_seconds}, see
 * {@code docs/training.md}) over the steps it sees, and formats them as one line, e.g.
 * {@code "sampling 1.20 s (38%), reference_logprobs 0.61 s (19%), ..."}: where a run spent its time.
 * Not thread-safe; register it with one trainer.
 */
public final class PhaseTimeSummary implements TrainingListener {
    private static final String PREFIX = "time/";
    private static final String SUFFIX = "_seconds";

    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private int steps;

    @Override
    public void onStep(StepMetrics metrics) {
        steps++;
        for (Map.Entry<String, Double> e : metrics.values().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(PREFIX) && k.endsWith(SUFFIX)) {
                seconds.merge(k.substring(PREFIX.length(), k.length() - SUFFIX.length()), e.getValue(), Double::sum);
            }
        }
    }

    /** @return the number of steps seen */
    public int steps() {
        return steps;
    }

    /**
     * The summed seconds of each phase, in the order the trainer reports them.
     *
     * @return phase → seconds (a copy)
     */
    public Map<String, Double> seconds() {
        return new LinkedHashMap<>(seconds);
    }

    /**
     * The phases that took any time, largest first, with their share of the total.
     *
     * @return one line; {@code "no steps"} before the first step
     */
    public String format() {
        if (steps == 0) {
            return "no steps";
        }
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder b = new StringBuilder();
        seconds.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                        "%s %.2f s (%.0f%%)", e.getKey(), e.getValue(), total > 0 ? 100 * e.getValue() / total : 0)));
        return b.length() == 0 ? "no time recorded" : b.toString();
    }
}
