package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;

/** Every rejection and hand-computed case of {@link Nd4jGrpoObjectiveTest}, on {@link FusedGrpoObjective}. */
class FusedGrpoObjectiveTest extends Nd4jGrpoObjectiveTest {

    @Override
    GrpoObjective objective() {
        return FusedGrpoObjective.create();
    }
}
