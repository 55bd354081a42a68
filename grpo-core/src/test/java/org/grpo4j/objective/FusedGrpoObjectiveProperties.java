package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;
import org.grpo4j.testing.GrpoObjectiveContract;
import org.grpo4j.testing.PolicyLossLaws;

/** Runs the whole property suite (the other policy losses' laws too), reference comparison included, on {@link FusedGrpoObjective}. */
class FusedGrpoObjectiveProperties implements GrpoObjectiveContract, PolicyLossLaws {

    @Override
    public GrpoObjective objective() {
        return FusedGrpoObjective.create();
    }
}
