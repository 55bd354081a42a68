package org.grpo4j.tasks.study.report;

import static org.grpo4j.tasks.study.report.StudyReport.fmt;
import static org.grpo4j.tasks.study.report.StudyReport.name;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grpo4j.tasks.study.CellResult;
import org.grpo4j.tasks.study.GrpoArm;
import org.grpo4j.tasks.study.SplitMetrics;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyJson;
import org.grpo4j.tasks.study.StudyPlan;
import org.grpo4j.transformer.PositionEncoding;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The report's PNG plots (XChart, drawn headless): accuracy before/after per axis and p, pass@k curves per axis,
 * and observed vs predicted accuracy per Q bin.
 */
final class StudyPlots {
    private final StudyPlan plan;
    private final StudyReport report;
    private final List<CellResult> cells;

    StudyPlots(StudyPlan plan, StudyReport report, List<CellResult> cells) {
        this.plan = plan;
        this.report = report;
        this.cells = cells;
    }

    /** @return the written files, relative to the report folder; no plots for an axis without finished cells */
    List<String> write(Path dir) {
        System.setProperty("java.awt.headless", "true");
        List<String> out = new ArrayList<>();
        for (StudyAxis axis : plan.axes()) {
            if (cells.stream().noneMatch(c -> c.key().axis() == axis)) {
                continue;                                  // an unfinished sweep: nothing to draw for this axis yet
            }
            out.add(save(dir, "accuracy-" + name(axis), accuracy(axis)));
            out.add(save(dir, "passk-" + name(axis), passAtK(axis)));
        }
        out.add(save(dir, "calibration", calibration()));
        return out;
    }

    private CategoryChart accuracy(StudyAxis axis) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(name(axis) + ": primary OOD accuracy before and after GRPO on OOD prompts")
                .xAxisTitle("p (OOD fraction in pretraining)").yAxisTitle("sampled accuracy").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        for (PositionEncoding e : encodings(axis)) {
            List<SummaryRow> headline = report.headline().stream()
                    .filter(r -> r.axis() == axis && r.positions() == e && !r.inDistribution()).toList();
            if (headline.isEmpty()) {
                continue;
            }
            String split = headline.get(0).split();
            List<SummaryRow> rows = headline.stream().filter(r -> r.split().equals(split)).toList();
            List<String> x = rows.stream().map(r -> "p=" + fmt(r.oodFraction())).toList();
            String suffix = encodings(axis).size() > 1 ? " (" + e.name().toLowerCase(Locale.ROOT) + ")" : "";
            addBars(chart, "before" + suffix, x, rows.stream().map(SummaryRow::before).toList());
            for (double beta : plan.betas()) {
                List<Estimate> after = rows.stream()
                        .map(r -> report.find(r, GrpoArm.OOD, beta, plan.longSteps()).after()).toList();
                addBars(chart, "after β=" + fmt(beta) + suffix, x, after);
            }
        }
        return chart;
    }

    private static void addBars(CategoryChart chart, String name, List<String> x, List<Estimate> values) {
        List<Double> y = values.stream().map(Estimate::mean).toList();
        boolean intervals = values.stream().noneMatch(v -> Double.isNaN(v.halfWidth()));
        if (intervals) {
            chart.addSeries(name, x, y, values.stream().map(Estimate::halfWidth).toList());
        } else {
            chart.addSeries(name, x, y);
        }
    }

    private XYChart passAtK(StudyAxis axis) {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(name(axis) + ": pass@k on the primary OOD split, before (dashed) and after GRPO")
                .xAxisTitle("k").yAxisTitle("pass@k").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(1.0);
        PositionEncoding e = encodings(axis).get(0);
        for (double p : plan.oodFractions()) {
            List<CellResult> group = cells.stream().filter(c -> c.key().axis() == axis && c.key().positions() == e
                    && c.key().oodFraction() == p).toList();
            if (group.isEmpty()) {
                continue;
            }
            String split = group.get(0).primaryOodSplit();
            List<SplitMetrics> before = group.stream().map(c -> c.baseSplit(split)).toList();
            List<SplitMetrics> after = group.stream()
                    .map(c -> c.arm(GrpoArm.OOD, plan.betas().get(0), plan.longSteps()).split(split)).toList();
            double[] ks = before.get(0).ks().stream().mapToDouble(Integer::doubleValue).toArray();
            chart.addSeries("before p=" + fmt(p), ks, meanCurve(before))
                    .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            chart.addSeries("after p=" + fmt(p), ks, meanCurve(after));
        }
        return chart;
    }

    private static double[] meanCurve(List<SplitMetrics> seeds) {
        double[] y = new double[seeds.get(0).passAtK().size()];
        for (SplitMetrics s : seeds) {
            for (int i = 0; i < y.length; i++) {
                y[i] += s.passAtK().get(i) / seeds.size();
            }
        }
        return y;
    }

    private XYChart calibration() {
        XYChart chart = new XYChartBuilder().width(700).height(600)
                .title("Observed accuracy after GRPO vs the theory's ceiling, per base-Q bin")
                .xAxisTitle("predicted ceiling").yAxisTitle("observed sampled accuracy after GRPO").build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.addSeries("y = x", new double[] {0, 1}, new double[] {0, 1}).setMarker(
                org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        for (double beta : plan.betas()) {
            List<QBin> bins = report.bins().stream().filter(b -> b.beta() == beta && b.prompts() > 0).toList();
            if (bins.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries("β=" + fmt(beta), bins.stream().mapToDouble(QBin::meanPredicted).toArray(),
                    bins.stream().mapToDouble(QBin::meanObserved).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        return chart;
    }

    private List<PositionEncoding> encodings(StudyAxis axis) {
        return axis == StudyAxis.LENGTH ? plan.lengthEncodings() : List.of(plan.lengthEncodings().get(0));
    }

    private static String save(Path dir, String name, Chart<?, ?> chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            StudyJson.writeBytes(dir.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw plot " + name, e);
        }
        return "plots/" + name + ".png";
    }
}
