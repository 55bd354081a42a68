package org.grpo4j.tasks.study.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grpo4j.tasks.study.GrpoArm;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyMode;
import org.grpo4j.tasks.study.StudyPlan;
import org.grpo4j.transformer.PositionEncoding;
import org.junit.jupiter.api.Test;

/**
 * The claim rules on hand-made summary rows (quick plan: p ∈ {0, 0.1}, both encodings on the length axis,
 * β ∈ {0.04, 0}, δ = 0.05, 30 steps): verdicts follow the numbers, and cells whose base model did not learn the ID
 * task are not counted.
 */
class ClaimsTest {
    private static final StudyPlan PLAN = StudyPlan.of(StudyMode.QUICK);
    private static final Map<StudyAxis, String> PRIMARY = Map.of(StudyAxis.DEPTH, "ood-k3", StudyAxis.LENGTH,
            "ood-l5", StudyAxis.TOKEN_REPRESENTATION, "ood-disjoint", StudyAxis.COMPOSITION, "ood-held-out");

    /** One seed's estimate. */
    private static Estimate e(double v) {
        return Estimate.of(v);
    }

    private static SummaryRow row(StudyAxis axis, PositionEncoding enc, double p, String split, boolean id,
                                  double beta, double before, double after) {
        return new SummaryRow(axis, enc, p, split, id, GrpoArm.OOD, beta, PLAN.longSteps(), e(before), e(after),
                e(after - before), e(before), e(after), e(before), e(after), e(before), e(before));
    }

    /**
     * Rows for every cell of the quick plan: base ID accuracy {@code idBefore}, base OOD accuracy 0.2 and after
     * GRPO 0.2 + {@code oodGain} (both β), except where a test overrides them.
     */
    private static List<SummaryRow> rows(Cell... overrides) {
        List<SummaryRow> out = new ArrayList<>();
        for (StudyAxis axis : StudyAxis.values()) {
            List<PositionEncoding> encs = axis == StudyAxis.LENGTH ? PLAN.lengthEncodings()
                    : List.of(PLAN.lengthEncodings().get(0));
            for (PositionEncoding enc : encs) {
                for (double p : PLAN.oodFractions()) {
                    double idBefore = 0.95;
                    double gain = 0;
                    for (Cell o : overrides) {
                        if (o.axis == axis && o.enc == enc && o.p == p) {
                            idBefore = o.idBefore;
                            gain = o.oodGain;
                        }
                    }
                    for (double beta : PLAN.betas()) {
                        out.add(row(axis, enc, p, "id", true, beta, idBefore, idBefore));
                        out.add(row(axis, enc, p, PRIMARY.get(axis), false, beta, 0.2, 0.2 + gain));
                    }
                }
            }
        }
        return out;
    }

    private record Cell(StudyAxis axis, PositionEncoding enc, double p, double idBefore, double oodGain) {
    }

    private static Claim claim(List<SummaryRow> rows, String prefix) {
        return new Claims(PLAN, rows).all().stream().filter(c -> c.name().startsWith(prefix)).findFirst()
                .orElseThrow();
    }

    private static final PositionEncoding L = PositionEncoding.LEARNED;
    private static final PositionEncoding R = PositionEncoding.ROTARY;

    @Test
    void aGainOnlyWithOverlapHoldsBothClaims() {
        List<SummaryRow> rows = rows(new Cell(StudyAxis.COMPOSITION, L, 0.1, 0.95, 0.2));
        assertEquals(Verdict.HELD, claim(rows, "No OOD gain without overlap").verdict());
        assertEquals(Verdict.HELD, claim(rows, "OOD gains appear").verdict());
        assertEquals(Verdict.HELD, claim(rows, "Length failures").verdict());
        assertEquals(Verdict.HELD, claim(rows, "The conservatism").verdict());
        assertEquals(Verdict.HELD, claim(rows, "No gain on problems written").verdict());
        assertEquals(Verdict.HELD, claim(rows, "In-distribution gains vanish").verdict());
    }

    @Test
    void aGainAtPZeroBreaksTheNoOverlapClaim() {
        List<SummaryRow> rows = rows(new Cell(StudyAxis.COMPOSITION, L, 0.0, 0.95, 0.5));
        assertEquals(Verdict.NOT_HELD, claim(rows, "No OOD gain without overlap").verdict());
        assertEquals(Verdict.NOT_HELD, claim(rows, "The conservatism").verdict());
        assertEquals(Verdict.NOT_HELD, claim(rows, "OOD gains appear").verdict(), "no gain at p = 0.1");
    }

    @Test
    void anUnlearnedCellIsNotCounted() {
        // an unlearned composition cell at p = 0 with a large gain does not break the claim; the others still count
        List<SummaryRow> rows = rows(new Cell(StudyAxis.COMPOSITION, L, 0.0, 0.3, 0.5));
        Claim c = claim(rows, "No OOD gain without overlap");
        assertEquals(Verdict.HELD, c.verdict());
        assertTrue(c.evidence().contains("composition: not learned (base ID accuracy 0.300"), c.evidence());
    }

    @Test
    void claimsWithoutALearnedCellAreNotTested() {
        List<Cell> none = new ArrayList<>();
        for (StudyAxis axis : StudyAxis.values()) {
            none.add(new Cell(axis, L, 0.0, 0.1, 0.0));
            none.add(new Cell(axis, L, 0.1, 0.1, 0.3));
        }
        none.add(new Cell(StudyAxis.LENGTH, R, 0.0, 0.1, 0.0));
        List<SummaryRow> rows = rows(none.toArray(Cell[]::new));
        assertEquals(Verdict.NOT_TESTED, claim(rows, "No OOD gain without overlap").verdict());
        assertEquals(Verdict.NOT_TESTED, claim(rows, "OOD gains appear").verdict(), "unlearned gains do not count");
        assertEquals(Verdict.NOT_TESTED, claim(rows, "No gain on problems written").verdict());
        assertEquals(Verdict.NOT_TESTED, claim(rows, "The conservatism").verdict());
        assertEquals(Verdict.NOT_TESTED, claim(rows, "Length failures").verdict());
    }

    @Test
    void theLengthClaimNeedsEveryEncodingToLearn() {
        Claim c = claim(rows(new Cell(StudyAxis.LENGTH, R, 0.0, 0.2, 0.0)), "Length failures");
        assertEquals(Verdict.NOT_TESTED, c.verdict());
        assertTrue(c.evidence().contains("rotary: not learned"), c.evidence());
        assertEquals(Verdict.NOT_HELD,
                claim(rows(new Cell(StudyAxis.LENGTH, R, 0.0, 0.9, 0.1)), "Length failures").verdict());
    }
}
