package org.grpo4j.tasks.study;

import java.util.Locale;
import org.grpo4j.Checks;
import org.grpo4j.transformer.PositionEncoding;

/**
 * One cell of a study sweep: axis × position encoding × OOD fraction × seed.
 *
 * @param axis        the study
 * @param positions   the model's position encoding
 * @param oodFraction p ∈ [0, 1], the fraction of OOD examples mixed into pretraining
 * @param seed        seeds data, initial weights, pretraining, GRPO and evaluation; ≥ 1
 */
public record CellKey(StudyAxis axis, PositionEncoding positions, double oodFraction, int seed) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if an argument is null, {@code oodFraction} is outside [0, 1] or
     *                                  {@code seed < 1}
     */
    public CellKey {
        Checks.notNull("axis", axis);
        Checks.notNull("positions", positions);
        Checks.inClosedRange("oodFraction", oodFraction, 0, 1);
        Checks.atLeast("seed", seed, 1);
    }

    /** @return a file-name-safe identifier, e.g. {@code depth-learned-p0.005-s1} */
    public String id() {
        return axis.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-"
                + positions.name().toLowerCase(Locale.ROOT) + "-p" + formatFraction(oodFraction) + "-s" + seed;
    }

    /**
     * The shortest decimal form of a fraction, with a point in every locale ({@code 0}, {@code 0.005}, {@code 0.1}).
     *
     * @param p the fraction
     * @return its text
     */
    static String formatFraction(double p) {
        return java.math.BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }
}
