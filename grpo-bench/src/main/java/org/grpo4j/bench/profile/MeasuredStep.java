package org.grpo4j.bench.profile;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A JFR event spanning one measured (not warm-up) step, so that {@link ProfileSummary} counts only the samples
 * taken inside measured steps. Costs nothing when no recording runs.
 */
@Name("org.grpo4j.bench.MeasuredStep")
@Label("Measured step")
@Category("grpo4j")
@Description("One measured training step of StepBreakdown")
public final class MeasuredStep extends jdk.jfr.Event {
    /** What is measured, e.g. {@code STUDY GRPO}. */
    @Label("What")
    public String what;

    /**
     * Starts the span.
     *
     * @param what the label the summary groups by
     * @return the started event; {@link #commit()} it at the step's end, or drop it for a warm-up step
     */
    public static MeasuredStep start(String what) {
        MeasuredStep e = new MeasuredStep();
        e.what = what;
        e.begin();
        return e;
    }
}
