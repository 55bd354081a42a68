package org.grpo4j.tasks.study;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress bar over a whole sweep, redrawn in place: work done in units (a pretraining step is 1, a GRPO step
 * {@link #GRPO_STEP}, an evaluation round {@link #EVALUATION}), the cell being run and the time left. Thread-safe:
 * cells running at once share it. When {@code interactive} is false (output is not a console) it prints a line
 * every 5% instead of redrawing.
 */
final class SweepProgress {
    static final int GRPO_STEP = 3;
    static final int EVALUATION = 40;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean interactive;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private int lastPercentPrinted = -5;
    private String label = "";

    SweepProgress(PrintStream out, boolean interactive, long total) {
        this.out = out;
        this.interactive = interactive;
        this.total = Math.max(1, total);
    }

    /** @return the units of one cell under a plan */
    static long unitsPerCell(StudyPlan plan) {
        long runs = (long) plan.arms().size() * plan.betas().size();
        return plan.pretrainSteps() + runs * plan.longSteps() * GRPO_STEP
                + (1 + runs * plan.horizons().size()) * EVALUATION;
    }

    synchronized void advance(long units, String now) {
        done = Math.min(total, done + units);
        label = now;
        double fraction = (double) done / total;
        int percent = (int) Math.floor(100 * fraction);
        double elapsed = (System.nanoTime() - start) / 1e9;
        String eta = done == 0 ? "?" : duration(elapsed / fraction - elapsed);
        int filled = (int) Math.round(WIDTH * fraction);
        String line = String.format(Locale.ROOT, "[%s%s] %3d%% %s, %s left · %s", "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, duration(elapsed), eta, label);
        if (interactive) {
            out.print("\r" + line + "   ");
            out.flush();
        } else if (percent >= lastPercentPrinted + 5) {
            lastPercentPrinted = percent - percent % 5;
            out.println(line);
        }
    }

    synchronized void finish() {
        if (interactive) {
            out.println();
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
