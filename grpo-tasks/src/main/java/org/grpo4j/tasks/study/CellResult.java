package org.grpo4j.tasks.study;

import java.util.List;
import org.grpo4j.Checks;

/**
 * Everything one cell measured: the base model after pretraining, and the model after each GRPO arm, β and
 * horizon.
 *
 * @param key             the cell
 * @param primaryOodSplit the name of the split GRPO's OOD arm draws from
 * @param pretrainLoss    the last pretraining step's cross-entropy (nats per target token)
 * @param pretrainSeconds wall time of pretraining
 * @param grpoSeconds     wall time of every GRPO run of the cell
 * @param evalSeconds     wall time of every evaluation of the cell
 * @param base            the base model on every split
 * @param arms            the trained models, by arm, β and horizon
 */
public record CellResult(CellKey key, String primaryOodSplit, double pretrainLoss, double pretrainSeconds,
                         double grpoSeconds, double evalSeconds, List<SplitMetrics> base, List<ArmResult> arms) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a reference is null or {@code base} is empty
     */
    public CellResult {
        Checks.notNull("key", key);
        Checks.notNull("primaryOodSplit", primaryOodSplit);
        base = List.copyOf(Checks.notNull("base", base));
        arms = List.copyOf(Checks.notNull("arms", arms));
        if (base.isEmpty()) {
            throw new IllegalArgumentException("base must hold at least one split");
        }
    }

    /**
     * @param name a split's name
     * @return the base model's measurement on it
     * @throws IllegalArgumentException if there is none
     */
    public SplitMetrics baseSplit(String name) {
        return find(base, name);
    }

    /**
     * The measurement after one run.
     *
     * @param arm   the arm
     * @param beta  β
     * @param steps the horizon
     * @return the run's result
     * @throws IllegalArgumentException if the cell has no such run
     */
    public ArmResult arm(GrpoArm arm, double beta, int steps) {
        for (ArmResult a : arms) {
            if (a.arm() == arm && a.beta() == beta && a.steps() == steps) {
                return a;
            }
        }
        throw new IllegalArgumentException("cell " + key.id() + " has no run " + arm + " β=" + beta + " steps="
                + steps);
    }

    static SplitMetrics find(List<SplitMetrics> splits, String name) {
        for (SplitMetrics s : splits) {
            if (s.split().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no split '" + name + "'");
    }
}
