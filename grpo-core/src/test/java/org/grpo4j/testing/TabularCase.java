package org.grpo4j.testing;

import java.util.Arrays;
import org.grpo4j.GrpoConfig;
import org.grpo4j.policy.TabularPolicy;

/**
 * One generated case for GRPO's theory: a configuration and, for each of P prompts, a base (reference)
 * distribution over K one-token outputs, a reward per output, and the policy a step starts from. Row x's prompt is
 * the one token {@code {x}}, as in {@link TabularPolicy#ofProbabilities(double[]...)}.
 *
 * <p>An output of base probability 0 is outside the row's support; the generators often give such outputs reward 1
 * (a correct answer the base model cannot reach). {@code start} has the same support as {@code reference} (it is
 * the reference itself, or the reference with perturbed logits on its support).
 *
 * <p>{@code equals} compares the arrays by identity; {@link #toString()} prints them in full, so that a failing
 * property's counterexample can be pasted into a test.
 *
 * @param config    the GRPO configuration
 * @param reference {@code [P][K]} base probabilities, each row summing to 1
 * @param rewards   {@code [P][K]} finite rewards
 * @param start     {@code [P][K]} the current policy's probabilities, same support as {@code reference}
 */
public record TabularCase(GrpoConfig config, double[][] reference, double[][] rewards, double[][] start) {

    /** @return P, the number of prompts */
    public int prompts() {
        return reference.length;
    }

    /** @return K, the number of outputs */
    public int outputs() {
        return reference[0].length;
    }

    /** @return a new DOUBLE policy holding the reference probabilities */
    public TabularPolicy referencePolicy() {
        return TabularPolicy.ofProbabilities(reference);
    }

    /** @return a new DOUBLE policy holding the starting probabilities */
    public TabularPolicy startPolicy() {
        return TabularPolicy.ofProbabilities(start);
    }

    /**
     * The base correct mass Q of a row: the reference probability of outputs with reward ≥ 1.
     *
     * @param row the prompt row
     * @return Q in [0, 1]
     */
    public double correctMass(int row) {
        double q = 0;
        for (int y = 0; y < outputs(); y++) {
            if (rewards[row][y] >= 1) {
                q += reference[row][y];
            }
        }
        return Math.min(1, q);
    }

    /**
     * Whether output y of row x is in the base support.
     *
     * @param row    the prompt row
     * @param output the output
     * @return {@code reference[row][output] > 0}
     */
    public boolean inSupport(int row, int output) {
        return reference[row][output] > 0;
    }

    /**
     * Whether every row's rewards are 0 or 1.
     *
     * @return true for a binary verifiable reward
     */
    public boolean binary() {
        for (double[] row : rewards) {
            for (double r : row) {
                if (r != 0 && r != 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The same case with another configuration.
     *
     * @param c the configuration
     * @return a case sharing this one's arrays
     */
    public TabularCase withConfig(GrpoConfig c) {
        return new TabularCase(c, reference, rewards, start);
    }

    /**
     * The case restricted to its first prompts.
     *
     * @param p how many rows to keep, in [1, {@link #prompts()}]
     * @return a case with copies of the first p rows
     */
    public TabularCase firstRows(int p) {
        return new TabularCase(config, Arrays.copyOf(reference, p), Arrays.copyOf(rewards, p), Arrays.copyOf(start, p));
    }

    @Override
    public String toString() {
        return "TabularCase[\n  config=" + config + "\n  reference=" + Arrays.deepToString(reference)
                + "\n  rewards=" + Arrays.deepToString(rewards) + "\n  start=" + Arrays.deepToString(start) + "\n]";
    }
}
