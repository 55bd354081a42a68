package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

/**
 * What one GRPO step on a tabular policy did to the outputs its groups did not sample: per prompt, the
 * log-probabilities before and after and the group's gradient sum {@code S = Σ_i dLoss/dlogp_i}. For a softmax with
 * one logit per output, an SGD step moves an unsampled output's logit by {@code lr · S · pi_j}, so
 * {@code Δ log(pi_j / pi_j') = lr · S · (pi_j − pi_j')} for two unsampled outputs j, j'.
 */
final class UnsampledShift {
    private final int[][] groups;
    private final double[][] before;
    private final double[][] after;
    private final double[] groupSum;
    private final double[] absSum;
    private final boolean[][] unsampled;
    private final boolean unsampledPair;

    /**
     * @param c        the case
     * @param groups   {@code [P][G]} the step's groups
     * @param before   {@code [P][K]} log-probabilities before the step
     * @param after    {@code [P][K]} log-probabilities after it
     * @param upstream {@code [P·G]} the objective's gradient dLoss/dlogp
     */
    UnsampledShift(TabularCase c, int[][] groups, double[][] before, double[][] after, double[] upstream) {
        this.groups = groups;
        this.before = before;
        this.after = after;
        int p = groups.length;
        int g = groups[0].length;
        groupSum = new double[p];
        absSum = new double[p];
        unsampled = new boolean[p][c.outputs()];
        boolean pair = false;
        for (int x = 0; x < p; x++) {
            for (int y = 0; y < c.outputs(); y++) {
                unsampled[x][y] = c.inSupport(x, y);
            }
            for (int i = 0; i < g; i++) {
                groupSum[x] += upstream[x * g + i];
                absSum[x] += Math.abs(upstream[x * g + i]);
                unsampled[x][groups[x][i]] = false;
            }
            int u = 0;
            for (boolean b : unsampled[x]) {
                u += b ? 1 : 0;
            }
            pair |= u >= 2;
        }
        unsampledPair = pair;
    }

    /** @return whether some prompt has two or more supported outputs its group did not sample */
    boolean hasUnsampledPair() {
        return unsampledPair;
    }

    /** @param x a row @return S, the sum of the row's group's gradient entries */
    double groupSum(int x) {
        return groupSum[x];
    }

    /** @param x a row @return {@code 1 + Σ_i |dLoss/dlogp_i|} over the row's group, a scale for tolerances */
    double gradientScale(int x) {
        return 1 + absSum[x];
    }

    /** @param x a row @param y an output @return log pi(y | x) before the step */
    double before(int x, int y) {
        return before[x][y];
    }

    /**
     * Asserts that {@code Δ log pi_j − lrS · pi_j} is one constant over the unsampled supported outputs j of row x,
     * where pi is the policy before the step; with {@code lrS = 0}, that they were all rescaled by one factor.
     *
     * @param x         the row
     * @param lrS       the learning rate times the row's S
     * @param tolerance the absolute tolerance on log-probabilities
     * @param c         the case, for the message
     */
    void assertCommonFactor(int x, double lrS, double tolerance, TabularCase c) {
        int first = -1;
        double firstShift = 0;
        for (int y = 0; y < unsampled[x].length; y++) {
            if (!unsampled[x][y]) {
                continue;
            }
            double shift = after[x][y] - before[x][y] - lrS * Math.exp(before[x][y]);
            if (first < 0) {
                first = y;
                firstShift = shift;
                continue;
            }
            int y0 = first;
            int y1 = y;
            double s0 = firstShift;
            assertEquals(s0, shift, tolerance * (1 + Math.abs(s0)), () -> "row " + x + ": unsampled outputs " + y0
                    + " and " + y1 + " moved by log-changes " + (after[x][y0] - before[x][y0]) + " and "
                    + (after[x][y1] - before[x][y1]) + ", not by one factor (lr·S = " + lrS + "), groups "
                    + Arrays.deepToString(groups) + "\n" + c);
        }
    }
}
