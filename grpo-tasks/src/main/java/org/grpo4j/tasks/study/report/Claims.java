package org.grpo4j.tasks.study.report;

import static org.grpo4j.tasks.study.report.StudyReport.fmt;
import static org.grpo4j.tasks.study.report.StudyReport.name;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.grpo4j.tasks.study.GrpoArm;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyPlan;
import org.grpo4j.transformer.PositionEncoding;

/**
 * Judges the paper's claims from the summary rows. Each rule compares measured gains (changes in sampled accuracy)
 * with the plan's gain threshold δ; the rule is written into the report next to its verdict. A claim about OOD
 * gains only counts cells whose base model learned its ID task (base ID sampled accuracy ≥ {@link #LEARNED}): a
 * model that cannot do the ID task says nothing about transfer, so such cells are listed as "not learned" and a
 * claim left without cells is NOT_TESTED.
 */
final class Claims {
    /** The base ID sampled accuracy from which a cell counts as having learned its ID task. */
    static final double LEARNED = 0.5;

    private final StudyPlan plan;
    private final List<SummaryRow> rows;
    private final double delta;
    private final double beta0;

    Claims(StudyPlan plan, List<SummaryRow> rows) {
        this.plan = plan;
        this.rows = rows;
        this.delta = plan.gainThreshold();
        this.beta0 = plan.betas().get(0);
    }

    List<Claim> all() {
        return List.of(noGainWithoutOverlap(), gainWithOverlap(), idSaturation(), disjointAlphabet(), length(),
                klFree(), passAtNBounded());
    }

    /** The primary OOD split of an axis: the first non-ID split (the datasets put it right after the ID one). */
    private Optional<String> primary(StudyAxis axis) {
        return rows.stream().filter(r -> r.axis() == axis && !r.inDistribution()).map(SummaryRow::split).findFirst();
    }

    private Optional<SummaryRow> row(StudyAxis axis, PositionEncoding e, double p, String split, GrpoArm arm,
                                     double beta) {
        return rows.stream().filter(r -> r.axis() == axis && r.positions() == e && r.oodFraction() == p
                && r.split().equals(split) && r.arm() == arm && r.beta() == beta && r.steps() == plan.longSteps())
                .findFirst();
    }

    /**
     * Whether a cell's base model learned its ID task; when it did not, says so in the evidence.
     *
     * @param label    how the evidence names the cell
     * @param evidence receives "label: not learned (…)" for an unlearned cell
     * @return true when the cell counts (learned, or no ID row to judge by)
     */
    private boolean learned(StudyAxis axis, PositionEncoding e, double p, String label, List<String> evidence) {
        Optional<Estimate> poor = rows.stream().filter(r -> r.axis() == axis && r.positions() == e
                && r.oodFraction() == p && r.inDistribution()).findFirst().map(SummaryRow::before)
                .filter(b -> b.mean() < LEARNED);
        poor.ifPresent(b -> evidence.add(label + ": not learned (base ID accuracy " + b + " < " + fmt(LEARNED)
                + "), not counted"));
        return poor.isEmpty();
    }

    private PositionEncoding first() {
        return plan.lengthEncodings().get(0);
    }

    private String gainRule(String what) {
        return what + "; a gain is a change in sampled OOD accuracy ≥ δ = " + fmt(delta) + " (GRPO on OOD prompts, β = "
                + fmt(beta0) + ", " + plan.longSteps() + " steps, mean over " + plan.seeds() + " seed(s))";
    }

    private Claim noGainWithoutOverlap() {
        String name = "No OOD gain without overlap with pretraining (p = 0)";
        String rule = gainRule("held when the gain at p = 0 stays below δ on every axis");
        if (!plan.oodFractions().contains(0.0)) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "the plan has no p = 0 cell");
        }
        List<String> ev = new ArrayList<>();
        boolean held = true;
        int counted = 0;
        for (StudyAxis axis : plan.axes()) {
            Optional<SummaryRow> r = primary(axis).flatMap(s -> row(axis, first(), 0.0, s, GrpoArm.OOD, beta0));
            if (r.isPresent() && learned(axis, first(), 0.0, name(axis), ev)) {
                counted++;
                held &= r.get().gain().mean() < delta;
                ev.add(name(axis) + " " + r.get().split() + ": " + r.get().before() + " → " + r.get().after()
                        + " (gain " + r.get().gain() + ")");
            }
        }
        return verdict(name, held, counted, rule, ev);
    }

    private Claim gainWithOverlap() {
        String name = "OOD gains appear once pretraining holds OOD examples (p > 0)";
        String rule = gainRule("held when some p > 0 gives a gain ≥ δ on at least one axis");
        List<Double> positive = plan.oodFractions().stream().filter(p -> p > 0).toList();
        if (positive.isEmpty()) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "the plan has no p > 0 cell");
        }
        List<String> ev = new ArrayList<>();
        boolean any = false;
        int counted = 0;
        for (StudyAxis axis : plan.axes()) {
            for (double p : positive) {
                Optional<SummaryRow> r = primary(axis).flatMap(s -> row(axis, first(), p, s, GrpoArm.OOD, beta0));
                if (r.isPresent() && learned(axis, first(), p, name(axis) + " p=" + fmt(p), ev)) {
                    counted++;
                    any |= r.get().gain().mean() >= delta;
                    ev.add(name(axis) + " p=" + fmt(p) + ": " + r.get().before() + " → " + r.get().after()
                            + " (gain " + r.get().gain() + ")");
                }
            }
        }
        return verdict(name, any, counted, rule, ev);
    }

    private Claim idSaturation() {
        String name = "In-distribution gains vanish as accuracy saturates";
        GrpoArm arm = plan.idArm() ? GrpoArm.ID : GrpoArm.OOD;
        String rule = "held when every (axis, p) whose base ID sampled accuracy is ≥ 0.9 gains less than δ = "
                + fmt(delta) + " on the ID split (GRPO on " + arm.name() + " prompts, β = " + fmt(beta0) + ", "
                + plan.longSteps() + " steps)";
        List<String> ev = new ArrayList<>();
        boolean held = true;
        int saturated = 0;
        for (SummaryRow r : rows) {
            if (r.inDistribution() && r.arm() == arm && r.beta() == beta0 && r.steps() == plan.longSteps()) {
                ev.add(name(r.axis()) + " " + r.positions().name().toLowerCase(Locale.ROOT) + " p=" + fmt(r.oodFraction())
                        + ": " + r.before() + " → " + r.after());
                if (r.before().mean() >= 0.9) {
                    saturated++;
                    held &= r.gain().mean() < delta;
                }
            }
        }
        if (saturated == 0) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "no cell reached base ID accuracy 0.9: "
                    + String.join("; ", ev));
        }
        return new Claim(name, held ? Verdict.HELD : Verdict.NOT_HELD, rule, String.join("; ", ev));
    }

    private Claim disjointAlphabet() {
        String name = "No gain on problems written in a disjoint alphabet (p = 0)";
        String rule = gainRule("held when the token-representation axis gains less than δ on its ood-disjoint split "
                + "at p = 0");
        StudyAxis axis = StudyAxis.TOKEN_REPRESENTATION;
        Optional<SummaryRow> r = rows.stream().filter(x -> x.axis() == axis && x.split().equals("ood-disjoint"))
                .findFirst().flatMap(x -> row(axis, first(), 0.0, x.split(), GrpoArm.OOD, beta0));
        if (r.isEmpty()) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "no token-representation cell at p = 0 with an "
                    + "ood-disjoint split");
        }
        List<String> poor = new ArrayList<>();
        if (!learned(axis, first(), 0.0, "token-representation p=0", poor)) {
            return new Claim(name, Verdict.NOT_TESTED, rule, poor.get(0));
        }
        return new Claim(name, r.get().gain().mean() < delta ? Verdict.HELD : Verdict.NOT_HELD, rule,
                "ood-disjoint: " + r.get().before() + " → " + r.get().after() + " (gain " + r.get().gain() + ")");
    }

    private Claim length() {
        String name = "Length failures are not an artifact of learned positions (RoPE fails alike at p = 0)";
        String rule = gainRule("held when, at p = 0, GRPO gains less than δ on the primary OOD length with every "
                + "position encoding");
        StudyAxis axis = StudyAxis.LENGTH;
        Optional<String> split = primary(axis);
        if (plan.lengthEncodings().size() < 2 || split.isEmpty() || !plan.oodFractions().contains(0.0)) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "needs the length axis at p = 0 with both encodings");
        }
        List<String> ev = new ArrayList<>();
        boolean held = true;
        boolean allLearned = true;
        for (PositionEncoding e : plan.lengthEncodings()) {
            Optional<SummaryRow> r = row(axis, e, 0.0, split.get(), GrpoArm.OOD, beta0);
            if (r.isEmpty()) {
                continue;
            }
            if (!learned(axis, e, 0.0, e.name().toLowerCase(Locale.ROOT), ev)) {
                allLearned = false;
            } else {
                held &= r.get().gain().mean() < delta;
                ev.add(e.name().toLowerCase(Locale.ROOT) + " " + split.get() + ": " + r.get().before() + " → "
                        + r.get().after());
            }
        }
        if (!allLearned) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "every encoding must learn the ID lengths: "
                    + String.join("; ", ev));
        }
        return new Claim(name, held ? Verdict.HELD : Verdict.NOT_HELD, rule, String.join("; ", ev));
    }

    private Claim klFree() {
        String name = "The conservatism is not a KL artifact (β = 0 gains no more OOD at p = 0)";
        String rule = "held when, at p = 0, GRPO with β = 0 gains less than δ = " + fmt(delta) + " on every axis's "
                + "primary OOD split (GRPO on OOD prompts, " + plan.longSteps() + " steps)";
        if (!plan.betas().contains(0.0) || plan.betas().size() < 2 || !plan.oodFractions().contains(0.0)) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "needs β = 0 and a β > 0, at p = 0");
        }
        double positive = plan.betas().stream().filter(b -> b > 0).findFirst().orElseThrow();
        List<String> ev = new ArrayList<>();
        boolean held = true;
        int counted = 0;
        for (StudyAxis axis : plan.axes()) {
            Optional<String> s = primary(axis);
            Optional<SummaryRow> free = s.flatMap(x -> row(axis, first(), 0.0, x, GrpoArm.OOD, 0.0));
            Optional<SummaryRow> kl = s.flatMap(x -> row(axis, first(), 0.0, x, GrpoArm.OOD, positive));
            if (free.isPresent() && kl.isPresent() && learned(axis, first(), 0.0, name(axis), ev)) {
                counted++;
                held &= free.get().gain().mean() < delta;
                ev.add(name(axis) + ": gain β=0 " + free.get().gain() + " vs β=" + fmt(positive) + " "
                        + kl.get().gain());
            }
        }
        return verdict(name, held, counted, rule, ev);
    }

    private static Claim verdict(String name, boolean held, int counted, String rule, List<String> evidence) {
        if (counted == 0) {
            return new Claim(name, Verdict.NOT_TESTED, rule, "no cell learned its ID task: "
                    + String.join("; ", evidence));
        }
        return new Claim(name, held ? Verdict.HELD : Verdict.NOT_HELD, rule, String.join("; ", evidence));
    }

    private Claim passAtNBounded() {
        int n = plan.evalSamples();
        String name = "GRPO sharpens (pass@1) without widening what the base samples (pass@" + n + ")";
        String rule = "held when, averaged over every axis, p and OOD split, pass@" + n + " after GRPO exceeds the "
                + "base's by less than δ = " + fmt(delta) + " (GRPO on OOD prompts, β = " + fmt(beta0) + ", "
                + plan.longSteps() + " steps)";
        List<SummaryRow> ood = rows.stream().filter(r -> !r.inDistribution() && r.arm() == GrpoArm.OOD
                && r.beta() == beta0 && r.steps() == plan.longSteps()).toList();
        double d1 = StudyReport.mean(ood, r -> r.passAt1After().mean() - r.passAt1Before().mean());
        double dn = StudyReport.mean(ood, r -> r.passAtNAfter().mean() - r.passAtNBefore().mean());
        String ev = String.format(Locale.ROOT, "mean change of pass@1 %+.3f, of pass@%d %+.3f over %d rows", d1, n,
                dn, ood.size());
        return new Claim(name, dn < delta ? Verdict.HELD : Verdict.NOT_HELD, rule, ev);
    }
}
