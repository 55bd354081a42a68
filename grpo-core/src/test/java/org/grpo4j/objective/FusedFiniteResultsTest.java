package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;

/** Every overflow case of {@link FiniteResultsTest}, on {@link FusedGrpoObjective}. */
class FusedFiniteResultsTest extends FiniteResultsTest {

    @Override
    GrpoObjective objective() {
        return FusedGrpoObjective.create();
    }
}
