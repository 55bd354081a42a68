package org.grpo4j.theory;

import org.grpo4j.Checks;

/**
 * Settings of the {@link SupportDiagnostic}.
 *
 * @param samplesPerPrompt n, completions sampled per prompt; ≥ 1
 * @param successThreshold a completion is correct when its reward is ≥ this value; finite
 * @param confidenceLevel  the intervals' confidence level, in (0, 1)
 * @param intervalMethod   how the interval for Q is formed
 */
public record SupportDiagnosticConfig(int samplesPerPrompt, double successThreshold, double confidenceLevel,
                                      IntervalMethod intervalMethod) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and its value when a rule is broken
     */
    public SupportDiagnosticConfig {
        Checks.atLeast("samplesPerPrompt", samplesPerPrompt, 1);
        Checks.finite("successThreshold", successThreshold);
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("confidenceLevel must be in (0, 1), was " + confidenceLevel);
        }
        Checks.notNull("intervalMethod", intervalMethod);
    }

    /**
     * 64 samples per prompt (enough for pass@64 and a Clopper–Pearson upper bound of about 0.056 when none
     * succeeds), reward ≥ 1 counts as correct, 95% exact Clopper–Pearson intervals.
     *
     * @return the defaults
     */
    public static SupportDiagnosticConfig defaults() {
        return new SupportDiagnosticConfig(64, 1.0, 0.95, IntervalMethod.CLOPPER_PEARSON);
    }

    /** @param v samples per prompt @return a copy with that value */
    public SupportDiagnosticConfig withSamplesPerPrompt(int v) {
        return new SupportDiagnosticConfig(v, successThreshold, confidenceLevel, intervalMethod);
    }

    /** @param v success threshold @return a copy with that value */
    public SupportDiagnosticConfig withSuccessThreshold(double v) {
        return new SupportDiagnosticConfig(samplesPerPrompt, v, confidenceLevel, intervalMethod);
    }

    /** @param v confidence level @return a copy with that value */
    public SupportDiagnosticConfig withConfidenceLevel(double v) {
        return new SupportDiagnosticConfig(samplesPerPrompt, successThreshold, v, intervalMethod);
    }

    /** @param v interval method @return a copy with that value */
    public SupportDiagnosticConfig withIntervalMethod(IntervalMethod v) {
        return new SupportDiagnosticConfig(samplesPerPrompt, successThreshold, confidenceLevel, v);
    }
}
