package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;
import org.grpo4j.testing.ReweightingContract;

/**
 * Runs the reweighting suite (support, conservative reweighting, exact GRPO against its fixed points) on
 * {@link Nd4jGrpoObjective} with {@link org.grpo4j.policy.TabularPolicy}.
 */
class Nd4jGrpoObjectiveTheoryProperties implements ReweightingContract {

    @Override
    public GrpoObjective objective() {
        return Nd4jGrpoObjective.create();
    }
}
