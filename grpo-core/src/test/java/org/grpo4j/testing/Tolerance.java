package org.grpo4j.testing;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * How close an objective's output must be to the double-precision reference: {@code actual} passes when
 * <pre>
 *   |actual − expected| ≤ relative · |expected| + absolute · scale
 * </pre>
 * where {@code scale} is the magnitude of the quantity's ingredients (for the loss, {@code Σ w |l|}; for a
 * gradient entry, the largest gradient entry; for advantages, the largest advantage), so that the floor absorbs
 * the rounding of sums whose terms cancel but is never large against the values being checked.
 *
 * @param relative the relative bound
 * @param absolute the floor, as a fraction of the scale
 * @param subnormal an absolute floor for results in the data type's subnormal range, where the precision is
 *                  absolute (FLOAT: 16 × {@code Float.MIN_VALUE} ≈ 2.2e-44; DOUBLE: 1e-300)
 */
public record Tolerance(double relative, double absolute, double subnormal) {

    /** FLOAT inputs: relative error ≤ 1e-4, floor 1e-5 of the scale. */
    public static final Tolerance FLOAT = new Tolerance(1e-4, 1e-5, 16 * Float.MIN_VALUE);

    /** DOUBLE inputs: relative error ≤ 1e-9, floor 1e-11 of the scale. */
    public static final Tolerance DOUBLE = new Tolerance(1e-9, 1e-11, 1e-300);

    /**
     * The tolerance for a data type.
     *
     * @param type FLOAT or DOUBLE
     * @return {@link #FLOAT} or {@link #DOUBLE}
     */
    public static Tolerance of(DataType type) {
        return type == DataType.DOUBLE ? DOUBLE : FLOAT;
    }

    /**
     * Whether two values agree.
     *
     * @param actual   the value under test (NaN never agrees)
     * @param expected the reference value
     * @param scale    the magnitude of the quantity's ingredients, ≥ 0
     * @return {@code true} if {@code actual} is within the tolerance of {@code expected}
     */
    public boolean close(double actual, double expected, double scale) {
        return Math.abs(actual - expected) <= relative * Math.abs(expected) + absolute * scale + subnormal;
    }
}
