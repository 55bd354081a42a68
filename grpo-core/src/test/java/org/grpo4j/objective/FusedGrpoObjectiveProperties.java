package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;
import org.grpo4j.testing.GrpoObjectiveContract;

/** Runs the whole property suite, reference comparison included, on {@link FusedGrpoObjective}. */
class FusedGrpoObjectiveProperties implements GrpoObjectiveContract {

    @Override
    public GrpoObjective objective() {
        return FusedGrpoObjective.create();
    }
}
