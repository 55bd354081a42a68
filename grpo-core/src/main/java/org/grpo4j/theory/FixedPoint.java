package org.grpo4j.theory;

import java.util.Arrays;
import org.grpo4j.Checks;

/**
 * The fixed point of iterated exact GRPO for one prompt (see {@link FixedPoints#solve}).
 *
 * @param kind          how it is known
 * @param probabilities K probabilities (copied)
 */
public record FixedPoint(FixedPointKind kind, double[] probabilities) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public FixedPoint {
        Checks.notNull("kind", kind);
        probabilities = Checks.notNull("probabilities", probabilities).clone();
    }

    /** @return a copy of the probabilities */
    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    /**
     * The probability mass on outputs whose reward is at least a threshold (the success probability for a binary
     * reward with threshold 1).
     *
     * @param rewards   K rewards
     * @param threshold the success threshold
     * @return the mass in [0, 1]
     * @throws IllegalArgumentException if the lengths differ
     */
    public double massAtLeast(double[] rewards, double threshold) {
        Checks.notNull("rewards", rewards);
        if (rewards.length != probabilities.length) {
            throw new IllegalArgumentException("rewards length (" + rewards.length + ") must equal "
                    + probabilities.length);
        }
        double m = 0;
        for (int j = 0; j < rewards.length; j++) {
            if (rewards[j] >= threshold) {
                m += probabilities[j];
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedPoint f && kind == f.kind && Arrays.equals(probabilities, f.probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "FixedPoint[" + kind + ", " + Arrays.toString(probabilities) + "]";
    }
}
