package org.grpo4j.objective;

import org.grpo4j.GrpoObjective;
import org.grpo4j.testing.ReferenceGrpoObjective;

/** Every overflow case of {@link FiniteResultsTest}, worked by hand, on the test suite's reference. */
class ReferenceFiniteResultsTest extends FiniteResultsTest {

    @Override
    GrpoObjective objective() {
        return ReferenceGrpoObjective.create();
    }
}
