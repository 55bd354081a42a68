package org.grpo4j.bench.objective;

import org.grpo4j.GrpoObjective;
import org.grpo4j.objective.FusedGrpoObjective;
import org.grpo4j.objective.Nd4jGrpoObjective;
import org.grpo4j.testing.ReferenceGrpoObjective;

/** The implementations of the GRPO objective the kernel benchmark compares. */
public enum ObjectiveImplementation {
    /** {@link Nd4jGrpoObjective}: whole-tensor ND4J ops. */
    ND4J,
    /** {@link FusedGrpoObjective}: one fused pass in plain Java over the off-heap data (the trainer's default). */
    FUSED,
    /** The published double-precision {@link ReferenceGrpoObjective} (loops over {@code double[][]} copies). */
    REFERENCE;

    /** @return the objective */
    public GrpoObjective objective() {
        return switch (this) {
            case ND4J -> Nd4jGrpoObjective.create();
            case FUSED -> FusedGrpoObjective.create();
            case REFERENCE -> ReferenceGrpoObjective.create();
        };
    }
}
