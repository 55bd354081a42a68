package org.grpo4j.tasks.study.report;

import static org.grpo4j.tasks.study.report.StudyReport.fmt;

import java.util.List;
import java.util.Locale;
import org.grpo4j.tasks.study.CellResult;
import org.grpo4j.tasks.study.StudyPlan;
import org.grpo4j.train.ComputeThreads;

/** Renders {@code report.md}: the plan, the claims with their rules and numbers, the tables, plots and timing. */
final class MarkdownReport {
    private final StudyPlan plan;
    private final StudyReport report;
    private final List<CellResult> cells;
    private final List<String> plots;
    private final double wallSeconds;

    MarkdownReport(StudyPlan plan, StudyReport report, List<CellResult> cells, List<String> plots,
                   double wallSeconds) {
        this.plan = plan;
        this.report = report;
        this.cells = cells;
        this.plots = plots;
        this.wallSeconds = wallSeconds;
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# GRPO study report (").append(plan.mode().name().toLowerCase(Locale.ROOT)).append(" mode)\n\n");
        if (cells.size() < plan.cells().size()) {
            sb.append(String.format(Locale.ROOT, "**Unfinished sweep: %d of the plan's %d cells.** Rows and claims "
                    + "cover the finished cells only.%n%n", cells.size(), plan.cells().size()));
        }
        sb.append(String.format(Locale.ROOT, "%d cells (axes %s; p ∈ %s; %d seed(s); length axis with %s), model "
                        + "%d layers × width %d × %d heads, %d pretraining steps of %d examples, GRPO G = %d × %d "
                        + "prompts per step for %s steps with β ∈ %s, %d samples per evaluation prompt. Accuracies are "
                        + "sampled (temperature 1) unless marked greedy; ± is a %.0f%% t-interval over seeds.%n%n",
                cells.size(), plan.axes(), plan.oodFractions(), plan.seeds(), plan.lengthEncodings(), plan.layers(),
                plan.width(), plan.heads(), plan.pretrainSteps(), plan.pretrainBatch(), plan.groupSize(),
                plan.promptsPerStep(), plan.horizons(), plan.betas(), plan.evalSamples(), 100 * Estimate.LEVEL));
        sb.append("## Claims\n\n| claim | verdict | evidence |\n|---|---|---|\n");
        for (Claim c : report.claims()) {
            sb.append("| ").append(c.name()).append(" | **").append(c.verdict()).append("** | ")
                    .append(c.evidence().replace("|", "\\|")).append(" |\n");
        }
        sb.append("\nRules:\n\n");
        for (Claim c : report.claims()) {
            sb.append("- ").append(c.name()).append(": ").append(c.rule()).append(".\n");
        }
        sb.append("\n## Accuracy before and after GRPO on OOD prompts\n\n").append(report.table());
        if (plan.idArm()) {
            sb.append("\n## Saturation arm: GRPO on ID prompts, ID split\n\n| axis | positions | p | before | after |"
                    + " gain |\n|---|---|---|---|---|---|\n");
            for (SummaryRow r : report.rows()) {
                if (r.inDistribution() && r.arm() == org.grpo4j.tasks.study.GrpoArm.ID
                        && r.beta() == plan.betas().get(0) && r.steps() == plan.longSteps()) {
                    sb.append("| ").append(StudyReport.name(r.axis())).append(" | ")
                            .append(r.positions().name().toLowerCase(Locale.ROOT)).append(" | ")
                            .append(fmt(r.oodFraction())).append(" | ").append(r.before()).append(" | ")
                            .append(r.after()).append(" | ").append(r.gain()).append(" |\n");
                }
            }
        }
        sb.append("\n## pass@1 and pass@").append(plan.evalSamples()).append(" (headline run)\n\n")
                .append("| axis | positions | p | split | pass@1 before → after | pass@").append(plan.evalSamples())
                .append(" before → after |\n|---|---|---|---|---|---|\n");
        for (SummaryRow r : report.headline()) {
            sb.append("| ").append(StudyReport.name(r.axis())).append(" | ")
                    .append(r.positions().name().toLowerCase(Locale.ROOT)).append(" | ").append(fmt(r.oodFraction()))
                    .append(" | ").append(r.split()).append(" | ").append(r.passAt1Before()).append(" → ")
                    .append(r.passAt1After()).append(" | ").append(r.passAtNBefore()).append(" → ")
                    .append(r.passAtNAfter()).append(" |\n");
        }
        sb.append("\n## Observed accuracy after GRPO against the theory's ceiling, by base Q\n\n")
                .append("Every evaluation prompt of every cell, binned by its base correct mass Q = c/n; the ceiling "
                        + "is `FixedPoints.binaryCeiling` of the run's GRPO configuration at Q.\n\n")
                .append("| β | bin | prompts | mean Q | predicted ceiling | observed after |\n|---|---|---|---|---|---|\n");
        for (QBin b : report.bins()) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %.3f | %.3f |%n", fmt(b.beta()), b.label(),
                    b.prompts(), b.meanQ(), b.meanPredicted(), b.meanObserved()));
        }
        if (!plots.isEmpty()) {
            sb.append("\n## Plots\n\n");
            for (String p : plots) {
                sb.append("![").append(p).append("](").append(p).append(")\n");
            }
        }
        double pre = cells.stream().mapToDouble(CellResult::pretrainSeconds).sum();
        double grpo = cells.stream().mapToDouble(CellResult::grpoSeconds).sum();
        double eval = cells.stream().mapToDouble(CellResult::evalSeconds).sum();
        String wall = Double.isNaN(wallSeconds) ? "Written from saved cells (--report-only); no cell ran in this "
                + "invocation" : String.format(Locale.ROOT, "Wall time of this invocation %.0f s with %d cell(s) at "
                + "once", wallSeconds, plan.threads());
        sb.append(String.format(Locale.ROOT, "%n## Timing%n%n%s; summed over cells: pretraining %.0f s, GRPO %.0f s, "
                        + "evaluation %.0f s. ND4J compute threads per operation: %d (a rerun reproduces these numbers "
                        + "bit for bit with the same count).%n", wall, pre, grpo, eval, ComputeThreads.current()));
        return sb.toString();
    }
}
