package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;

/** Every case of {@link FullyMaskedSequenceTest}, on {@link FusedGrpoObjective}. */
class FusedFullyMaskedSequenceTest extends FullyMaskedSequenceTest {

    @Override
    GrpoObjective objective() {
        return FusedGrpoObjective.create();
    }
}
