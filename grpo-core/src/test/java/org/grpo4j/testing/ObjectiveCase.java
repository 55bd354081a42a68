package org.grpo4j.testing;

import java.util.Arrays;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveInput;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One generated test case for a {@link org.grpo4j.GrpoObjective}: a configuration and a batch of N = groups × G
 * sequences of T tokens, held as {@code double} arrays whose values are all exactly representable as
 * {@code float} (so FLOAT and DOUBLE inputs built from it hold the same numbers and the reference sees exactly
 * what a FLOAT objective sees).
 *
 * <p>The record's {@code equals} compares the arrays by identity; {@link #toString()} prints them in full, so
 * that a failing property's counterexample can be pasted into a test.
 *
 * @param config     the variant; {@code maxCompletionLength ≥ T}
 * @param rewards    {@code [N]}
 * @param advantages {@code [N]} precomputed advantages, or null to derive them from the rewards
 * @param logpNew    {@code [N][T]}
 * @param logpOld    {@code [N][T]} or null (on-policy)
 * @param logpRef    {@code [N][T]} or null (only when β = 0)
 * @param mask       {@code [N][T]} of 0 and 1
 */
public record ObjectiveCase(GrpoConfig config, double[] rewards, double[] advantages, double[][] logpNew,
                            double[][] logpOld, double[][] logpRef, double[][] mask) {

    /** @return N, the number of sequences */
    public int n() {
        return logpNew.length;
    }

    /** @return T, the number of token positions */
    public int t() {
        return logpNew[0].length;
    }

    /** @return the number of groups, N / G */
    public int groups() {
        return n() / config.groupSize();
    }

    /**
     * The objective's input with arrays of the given type.
     *
     * @param type FLOAT or DOUBLE
     * @return new arrays; advantages included when this case has them
     */
    public ObjectiveInput toInput(DataType type) {
        return new ObjectiveInput(Matrices.vector(rewards, type), Matrices.vector(advantages, type),
                Matrices.matrix(logpNew, type), Matrices.matrix(logpOld, type), Matrices.matrix(logpRef, type),
                Matrices.matrix(mask, type));
    }

    /**
     * Evaluates the reference objective on this case.
     *
     * @return the reference result
     */
    public ReferenceGrpoObjective.Result reference() {
        return ReferenceGrpoObjective.evaluate(rewards, advantages, logpNew, logpOld, logpRef, mask, config);
    }

    /**
     * This case under another configuration (the caller keeps {@code maxCompletionLength ≥ T} and supplies a
     * reference when β &gt; 0).
     *
     * @param c the configuration
     * @return a case sharing this one's arrays
     */
    public ObjectiveCase withConfig(GrpoConfig c) {
        return new ObjectiveCase(c, rewards, advantages, logpNew, logpOld, logpRef, mask);
    }

    /**
     * This case with other log-probabilities under the new policy.
     *
     * @param newLogp {@code [N][T]}
     * @return a case sharing the other arrays
     */
    public ObjectiveCase withLogpNew(double[][] newLogp) {
        return new ObjectiveCase(config, rewards, advantages, newLogp, logpOld, logpRef, mask);
    }

    /**
     * This case with other sampling-policy log-probabilities.
     *
     * @param oldLogp {@code [N][T]} or null for on-policy
     * @return a case sharing the other arrays
     */
    public ObjectiveCase withLogpOld(double[][] oldLogp) {
        return new ObjectiveCase(config, rewards, advantages, logpNew, oldLogp, logpRef, mask);
    }

    /**
     * This case with other reference log-probabilities.
     *
     * @param refLogp {@code [N][T]} or null (only when β = 0)
     * @return a case sharing the other arrays
     */
    public ObjectiveCase withLogpRef(double[][] refLogp) {
        return new ObjectiveCase(config, rewards, advantages, logpNew, logpOld, refLogp, mask);
    }

    /**
     * This case with other rewards.
     *
     * @param r {@code [N]}
     * @return a case sharing the other arrays
     */
    public ObjectiveCase withRewards(double[] r) {
        return new ObjectiveCase(config, r, advantages, logpNew, logpOld, logpRef, mask);
    }

    /**
     * This case with precomputed advantages, or without them.
     *
     * @param a {@code [N]} or null to derive the advantages from the rewards
     * @return a case sharing the other arrays
     */
    public ObjectiveCase withAdvantages(double[] a) {
        return new ObjectiveCase(config, rewards, a, logpNew, logpOld, logpRef, mask);
    }

    /**
     * This case with another mask.
     *
     * @param m {@code [N][T]} of 0 and 1
     * @return a case sharing the other arrays
     */
    public ObjectiveCase withMask(double[][] m) {
        return new ObjectiveCase(config, rewards, advantages, logpNew, logpOld, logpRef, m);
    }

    /**
     * The active length {@code L_i = Σ_t m_it} of a sequence.
     *
     * @param i the sequence
     * @return its number of mask-1 tokens
     */
    public int activeLength(int i) {
        int l = 0;
        for (double m : mask[i]) {
            l += (int) m;
        }
        return l;
    }

    @Override
    public String toString() {
        return "ObjectiveCase{N=" + n() + ", T=" + t() + ", config=" + config
                + ",\n  rewards=" + Arrays.toString(rewards)
                + ",\n  advantages=" + Arrays.toString(advantages)
                + ",\n  logpNew=" + Matrices.format(logpNew)
                + ",\n  logpOld=" + Matrices.format(logpOld)
                + ",\n  logpRef=" + Matrices.format(logpRef)
                + ",\n  mask=" + Matrices.format(mask) + "}";
    }
}
