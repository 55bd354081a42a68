package org.grpo4j.train;

import java.io.PrintStream;
import java.util.Locale;
import org.grpo4j.Checks;

/**
 * A one-line progress bar redrawn in place ({@code \r}) after each step:
 * {@code step 12/50 [#####.....] 24% reward 0.625 kl 0.0031 3.20 s/step}, with a decimal point in every locale.
 */
public final class ConsoleProgressBar implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private int last;
    private long startNanos;
    private int firstStep;

    /**
     * @param out where to draw, usually {@code System.err}
     * @throws IllegalArgumentException if {@code out} is null
     */
    public ConsoleProgressBar(PrintStream out) {
        this.out = Checks.notNull("out", out);
    }

    @Override
    public void onStart(int firstStep, int lastStep) {
        this.firstStep = firstStep;
        this.last = lastStep;
        this.startNanos = System.nanoTime();
    }

    /**
     * Renders the bar for a step.
     *
     * @param metrics     the step's metrics
     * @param lastStep    the run's last step
     * @param secondsStep seconds per step so far
     * @return the line, without carriage return
     */
    public static String render(StepMetrics metrics, int lastStep, double secondsStep) {
        int s = metrics.step();
        double frac = lastStep > 0 ? Math.min(1, (double) s / lastStep) : 1;
        int filled = (int) Math.round(frac * WIDTH);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "step %d/%d [", s, lastStep));
        sb.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        sb.append(String.format(Locale.ROOT, "%3d%%", Math.round(frac * 100)));
        Double reward = metrics.values().get("reward");
        if (reward != null) {
            sb.append(String.format(Locale.ROOT, " reward %.3f", reward));
        }
        Double kl = metrics.values().get("kl");
        if (kl != null) {
            sb.append(String.format(Locale.ROOT, " kl %.4f", kl));
        }
        sb.append(String.format(Locale.ROOT, " %.2f s/step", secondsStep));
        return sb.toString();
    }

    @Override
    public void onStep(StepMetrics metrics) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int done = metrics.step() - firstStep + 1;
        out.print("\r" + render(metrics, last, elapsed / Math.max(1, done)));
        out.flush();
    }

    @Override
    public void onEnd() {
        out.println();
        out.flush();
    }
}
