package org.grpo4j.theory;

import java.util.List;
import org.grpo4j.Checks;
import org.grpo4j.policy.TabularPolicy;

/**
 * The result of {@link ExactGrpo#iterate}: the exact probabilities before the first step and after every step,
 * and the final policy.
 *
 * @param probabilities {@code steps + 1} tables {@code [P][K]}; element 0 is the starting policy's
 * @param last          the policy after the last step
 */
public record ExactGrpoTrajectory(List<double[][]> probabilities, TabularPolicy last) {

    /**
     * Validates and copies the list.
     *
     * @throws IllegalArgumentException if an argument is null or the list is empty
     */
    public ExactGrpoTrajectory {
        Checks.notNull("probabilities", probabilities);
        Checks.notNull("last", last);
        if (probabilities.isEmpty()) {
            throw new IllegalArgumentException("probabilities must hold at least the starting policy's table");
        }
        probabilities = probabilities.stream().map(ExactGrpoTrajectory::deepCopy).toList();
    }

    /** @return the tables (copies) */
    @Override
    public List<double[][]> probabilities() {
        return probabilities.stream().map(ExactGrpoTrajectory::deepCopy).toList();
    }

    /** @return the number of steps taken */
    public int steps() {
        return probabilities.size() - 1;
    }

    /**
     * The probabilities after a step.
     *
     * @param step 0 for the start, up to {@link #steps()}
     * @return {@code [P][K]} (a copy)
     * @throws IllegalArgumentException if {@code step} is out of range
     */
    public double[][] at(int step) {
        if (step < 0 || step > steps()) {
            throw new IllegalArgumentException("step must be in [0, " + steps() + "], was " + step);
        }
        return deepCopy(probabilities.get(step));
    }

    /**
     * The probability of one output after a step, without copying the table.
     *
     * @param step   0 for the start, up to {@link #steps()}
     * @param row    the prompt row
     * @param output the output
     * @return pi(output | row) after that step
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public double probability(int step, int row, int output) {
        return probabilities.get(step)[row][output];
    }

    private static double[][] deepCopy(double[][] t) {
        double[][] copy = new double[Checks.notNull("table", t).length][];
        for (int x = 0; x < t.length; x++) {
            copy[x] = Checks.notNull("table row", t[x]).clone();
        }
        return copy;
    }
}
