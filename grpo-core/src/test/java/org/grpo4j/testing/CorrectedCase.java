package org.grpo4j.testing;

import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveInput;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An {@link ObjectiveCase} with the optional inputs of the per-token corrections: the sampler's log-probabilities
 * and the policy's entropies, all values exactly representable as {@code float}.
 *
 * @param base         the batch and its configuration (which holds the corrections)
 * @param logpSampling {@code [N][T]} or null
 * @param entropies    {@code [N][T]} or null
 */
public record CorrectedCase(ObjectiveCase base, double[][] logpSampling, double[][] entropies) {

    /** @return the configuration */
    public GrpoConfig config() {
        return base.config();
    }

    /**
     * The objective's input with arrays of the given type.
     *
     * @param type FLOAT or DOUBLE
     * @return new arrays
     */
    public ObjectiveInput toInput(DataType type) {
        return base.toInput(type).withLogpSampling(Matrices.matrix(logpSampling, type))
                .withEntropies(Matrices.matrix(entropies, type));
    }

    /** @return the reference result */
    public ReferenceGrpoObjective.Result reference() {
        return ReferenceGrpoObjective.evaluate(base.rewards(), base.advantages(), base.logpNew(), base.logpOld(),
                base.logpRef(), base.mask(), logpSampling, entropies, base.config());
    }

    /**
     * @param c another configuration (same T limit)
     * @return this case under {@code c}
     */
    public CorrectedCase withConfig(GrpoConfig c) {
        return new CorrectedCase(base.withConfig(c), logpSampling, entropies);
    }

    /**
     * @param logpNew other new-policy log-probabilities
     * @return this case with them
     */
    public CorrectedCase withLogpNew(double[][] logpNew) {
        return new CorrectedCase(base.withLogpNew(logpNew), logpSampling, entropies);
    }

    /**
     * @param a {@code [N]} advantages to use instead of the rewards' (null: computed from the rewards)
     * @return this case with them
     */
    public CorrectedCase withAdvantages(double[] a) {
        return new CorrectedCase(base.withAdvantages(a), logpSampling, entropies);
    }

    @Override
    public String toString() {
        return "CorrectedCase{" + base + ",\n  logpSampling=" + Matrices.format(logpSampling) + ",\n  entropies="
                + Matrices.format(entropies) + "}";
    }
}
