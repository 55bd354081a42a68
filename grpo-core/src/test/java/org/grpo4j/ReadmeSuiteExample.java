package org.grpo4j;

import org.grpo4j.objective.Nd4jGrpoObjective;
import org.grpo4j.testing.GrpoObjectiveLaws;
import org.grpo4j.testing.ReweightingContract;

/**
 * README's "Check GRPO's theory" class, compiled so that the two published suites stay implementable together with
 * one method (they share {@code objective()} and no provider names). Not run here: its name is not a test name, and
 * both suites already run on {@link Nd4jGrpoObjective} in {@code org.grpo4j.objective}.
 */
class ReadmeSuiteExample implements GrpoObjectiveLaws, ReweightingContract {
    @Override
    public GrpoObjective objective() {
        return Nd4jGrpoObjective.create();
    }
}
