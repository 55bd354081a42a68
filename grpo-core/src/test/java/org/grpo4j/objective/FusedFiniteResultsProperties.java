package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;
import org.grpo4j.testing.FiniteResultsLaws;

/** The finite-results properties (every configuration × extreme finite inputs) on {@link FusedGrpoObjective}. */
class FusedFiniteResultsProperties implements FiniteResultsLaws {

    @Override
    public GrpoObjective objective() {
        return FusedGrpoObjective.create();
    }
}
