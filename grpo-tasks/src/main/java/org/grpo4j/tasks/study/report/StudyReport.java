package org.grpo4j.tasks.study.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.tasks.study.ArmResult;
import org.grpo4j.tasks.study.CellKey;
import org.grpo4j.tasks.study.CellResult;
import org.grpo4j.tasks.study.GrpoArm;
import org.grpo4j.tasks.study.SplitMetrics;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyJson;
import org.grpo4j.tasks.study.StudyPlan;
import org.grpo4j.theory.FixedPoints;
import org.grpo4j.train.ComputeThreads;
import org.grpo4j.transformer.PositionEncoding;

/**
 * The numbers of a study run, aggregated over seeds, and the paper's claims judged from them. Nothing here is
 * written in advance: every verdict is a rule (stated in the report) applied to the measured gains.
 *
 * <p>The headline run of a cell is GRPO on the OOD prompts with the plan's first β, measured at the long horizon;
 * a "gain" is the change in sampled accuracy (mean Q) on a split, and counts as a gain when it reaches
 * {@link StudyPlan#gainThreshold()}.
 */
public final class StudyReport {
    private final StudyPlan plan;
    private final List<CellResult> cells;
    private final List<SummaryRow> rows;
    private final List<QBin> bins;
    private final List<Claim> claims;

    private StudyReport(StudyPlan plan, List<CellResult> cells) {
        this.plan = plan;
        this.cells = List.copyOf(cells);
        this.rows = summarize();
        this.bins = calibrate();
        this.claims = new Claims(plan, rows).all();
    }

    /**
     * Aggregates a run.
     *
     * @param plan  the plan the cells ran under
     * @param cells their results; not empty
     * @return the report
     * @throws IllegalArgumentException if an argument is null or {@code cells} is empty
     */
    public static StudyReport of(StudyPlan plan, List<CellResult> cells) {
        Checks.notNull("plan", plan);
        Checks.notNull("cells", cells);
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("cells must not be empty");
        }
        return new StudyReport(plan, cells);
    }

    /** @return one row per (axis, encoding, p, split, run), in the plan's order */
    public List<SummaryRow> rows() {
        return rows;
    }

    /** @return observed vs predicted accuracy per Q bin, for each β (headline arm, long horizon) */
    public List<QBin> bins() {
        return bins;
    }

    /** @return the claims, judged */
    public List<Claim> claims() {
        return claims;
    }

    /** @return the rows of the headline run: GRPO on OOD prompts, first β, long horizon */
    public List<SummaryRow> headline() {
        return rows.stream().filter(r -> r.arm() == GrpoArm.OOD && r.beta() == plan.betas().get(0)
                && r.steps() == plan.longSteps()).toList();
    }

    /**
     * The headline table as Markdown: per axis, encoding, p and split, the sampled accuracy before and after GRPO
     * on OOD prompts (every β at the long horizon, the first β also at the short one when the horizons differ), the
     * gain, and greedy accuracy.
     *
     * @return the table
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        double b0 = plan.betas().get(0);
        boolean twoHorizons = plan.horizons().size() > 1;
        sb.append("| axis | positions | p | split | before");
        if (twoHorizons) {
            sb.append(" | after β=").append(fmt(b0)).append(" @").append(plan.shortSteps());
        }
        for (double b : plan.betas()) {
            sb.append(" | after β=").append(fmt(b)).append(" @").append(plan.longSteps());
        }
        sb.append(" | gain β=").append(fmt(b0)).append(" | greedy before → after |\n|---|---|---|---|---|");
        sb.append("---|".repeat(plan.betas().size() + (twoHorizons ? 1 : 0))).append("---|---|\n");
        for (SummaryRow r : headline()) {
            sb.append("| ").append(name(r.axis())).append(" | ").append(r.positions().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(fmt(r.oodFraction())).append(" | ").append(r.split()).append(" | ")
                    .append(r.before());
            if (twoHorizons) {
                sb.append(" | ").append(find(r, GrpoArm.OOD, b0, plan.shortSteps()).after());
            }
            for (double b : plan.betas()) {
                sb.append(" | ").append(find(r, GrpoArm.OOD, b, plan.longSteps()).after());
            }
            sb.append(" | ").append(r.gain()).append(" | ").append(r.greedyBefore()).append(" → ")
                    .append(r.greedyAfter()).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Writes {@code report.md}, {@code results.csv}, {@code results.json} and {@code plots/*.png} into a folder.
     *
     * @param out           the folder
     * @param wallSeconds   the run's wall time (for the timing section); NaN when no cell ran (a report of saved
     *                      cells)
     * @return the report's Markdown
     * @throws IllegalArgumentException if {@code out} is null
     * @throws java.io.UncheckedIOException if a file cannot be written
     */
    public String write(Path out, double wallSeconds) {
        Checks.notNull("out", out);
        List<String> plots = new StudyPlots(plan, this, cells).write(out.resolve("plots"));
        String md = new MarkdownReport(plan, this, cells, plots, wallSeconds).render();
        StudyJson.writeText(out.resolve("report.md"), md);
        StudyJson.writeText(out.resolve("results.csv"), csv());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("plan", plan);
        json.put("wallSeconds", wallSeconds);
        json.put("computeThreads", ComputeThreads.current());
        json.put("claims", claims);
        json.put("summary", rows);
        json.put("calibration", bins);
        json.put("cells", cells);
        StudyJson.write(out.resolve("results.json"), json);
        return md;
    }

    /** @return every measured number, one per line: cell, run, split, metric, value */
    public String csv() {
        StringBuilder sb = new StringBuilder("cell,axis,positions,p,seed,arm,beta,steps,split,in_distribution,metric,"
                + "value\n");
        for (CellResult c : cells) {
            csvRun(sb, c.key(), "base", Double.NaN, 0, c.base());
            for (ArmResult a : c.arms()) {
                csvRun(sb, c.key(), a.arm().name().toLowerCase(Locale.ROOT), a.beta(), a.steps(), a.splits());
            }
        }
        return sb.toString();
    }

    private static void csvRun(StringBuilder sb, CellKey k, String arm, double beta, int steps,
                               List<SplitMetrics> splits) {
        for (SplitMetrics s : splits) {
            String prefix = String.join(",", k.id(), name(k.axis()), k.positions().name().toLowerCase(Locale.ROOT),
                    fmt(k.oodFraction()), Integer.toString(k.seed()), arm, Double.isNaN(beta) ? "" : fmt(beta),
                    Integer.toString(steps), s.split(), Boolean.toString(s.inDistribution()));
            sb.append(prefix).append(",greedy_accuracy,").append(s.greedyAccuracy()).append('\n');
            sb.append(prefix).append(",sampled_accuracy,").append(s.sampledAccuracy()).append('\n');
            for (int i = 0; i < s.ks().size(); i++) {
                sb.append(prefix).append(",pass@").append(s.ks().get(i)).append(',').append(s.passAtK().get(i))
                        .append('\n');
            }
        }
    }

    SummaryRow find(SummaryRow like, GrpoArm arm, double beta, int steps) {
        for (SummaryRow r : rows) {
            if (r.axis() == like.axis() && r.positions() == like.positions() && r.oodFraction() == like.oodFraction()
                    && r.split().equals(like.split()) && r.arm() == arm && r.beta() == beta && r.steps() == steps) {
                return r;
            }
        }
        throw new IllegalStateException("no row for " + like.split() + " " + arm + " β=" + beta + " @" + steps);
    }

    private List<SummaryRow> summarize() {
        Map<String, List<CellResult>> groups = new LinkedHashMap<>();
        for (CellResult c : cells) {
            CellKey k = c.key();
            groups.computeIfAbsent(k.axis() + "/" + k.positions() + "/" + k.oodFraction(), x -> new ArrayList<>())
                    .add(c);
        }
        List<SummaryRow> out = new ArrayList<>();
        for (List<CellResult> group : groups.values()) {
            CellResult first = group.get(0);
            for (SplitMetrics split : first.base()) {
                for (GrpoArm arm : plan.arms()) {
                    for (double beta : plan.betas()) {
                        for (int steps : plan.horizons()) {
                            out.add(row(group, split.split(), split.inDistribution(), arm, beta, steps));
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static SummaryRow row(List<CellResult> group, String split, boolean id, GrpoArm arm, double beta,
                                  int steps) {
        int n = group.size();
        double[][] v = new double[9][n];
        for (int i = 0; i < n; i++) {
            CellResult c = group.get(i);
            SplitMetrics b = c.baseSplit(split);
            SplitMetrics a = c.arm(arm, beta, steps).split(split);
            v[0][i] = b.sampledAccuracy();
            v[1][i] = a.sampledAccuracy();
            v[2][i] = a.sampledAccuracy() - b.sampledAccuracy();
            v[3][i] = b.greedyAccuracy();
            v[4][i] = a.greedyAccuracy();
            v[5][i] = b.passAt(1);
            v[6][i] = a.passAt(1);
            v[7][i] = b.passAt(b.samples());
            v[8][i] = a.passAt(a.samples());
        }
        CellKey k = group.get(0).key();
        return new SummaryRow(k.axis(), k.positions(), k.oodFraction(), split, id, arm, beta, steps,
                Estimate.of(v[0]), Estimate.of(v[1]), Estimate.of(v[2]), Estimate.of(v[3]), Estimate.of(v[4]),
                Estimate.of(v[5]), Estimate.of(v[6]), Estimate.of(v[7]), Estimate.of(v[8]));
    }

    /** Bin edges of Q: {0}, (0, ¼], (¼, ½], (½, ¾], (¾, 1), {1}. */
    private static final String[] BIN_LABELS = {"Q = 0", "0 < Q ≤ 0.25", "0.25 < Q ≤ 0.5", "0.5 < Q ≤ 0.75",
        "0.75 < Q < 1", "Q = 1"};

    static int bin(double q) {
        if (q <= 0) {
            return 0;
        }
        if (q >= 1) {
            return 5;
        }
        return q <= 0.25 ? 1 : q <= 0.5 ? 2 : q <= 0.75 ? 3 : 4;
    }

    private List<QBin> calibrate() {
        List<QBin> out = new ArrayList<>();
        for (double beta : plan.betas()) {
            GrpoConfig config = plan.grpo(beta, GrpoConfig.defaults().maxCompletionLength());
            int[] count = new int[BIN_LABELS.length];
            double[] q = new double[BIN_LABELS.length];
            double[] predicted = new double[BIN_LABELS.length];
            double[] observed = new double[BIN_LABELS.length];
            for (CellResult c : cells) {
                ArmResult a = c.arm(GrpoArm.OOD, beta, plan.longSteps());
                for (SplitMetrics before : c.base()) {
                    SplitMetrics after = a.split(before.split());
                    for (int i = 0; i < before.correct().size(); i++) {
                        double q0 = (double) before.correct().get(i) / before.samples();
                        int b = bin(q0);
                        count[b]++;
                        q[b] += q0;
                        predicted[b] += FixedPoints.binaryCeiling(config, q0);
                        observed[b] += (double) after.correct().get(i) / after.samples();
                    }
                }
            }
            for (int b = 0; b < BIN_LABELS.length; b++) {
                int n = count[b];
                out.add(new QBin(BIN_LABELS[b], beta, n, n == 0 ? Double.NaN : q[b] / n,
                        n == 0 ? Double.NaN : predicted[b] / n, n == 0 ? Double.NaN : observed[b] / n));
            }
        }
        return List.copyOf(out);
    }

    static String name(StudyAxis axis) {
        return axis.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String fmt(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static double mean(List<SummaryRow> rows, ToDoubleFunction<SummaryRow> f) {
        return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    static boolean isLearnedOrOnly(PositionEncoding e, StudyPlan plan) {
        return e == plan.lengthEncodings().get(0);
    }
}
