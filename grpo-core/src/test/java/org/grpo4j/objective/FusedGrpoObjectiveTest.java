package org.grpo4j.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grpo4j.GrpoObjective;
import org.junit.jupiter.api.Test;

/** Every rejection and hand-computed case of {@link Nd4jGrpoObjectiveTest}, on {@link FusedGrpoObjective}. */
class FusedGrpoObjectiveTest extends Nd4jGrpoObjectiveTest {

    @Override
    GrpoObjective objective() {
        return FusedGrpoObjective.create();
    }

    /** The fused pass's e^d − 1 against the JDK's (fdlibm) expm1, in relative error, across the series switch. */
    @Test
    void expm1MatchesTheJdksToAFewUlps() {
        SplittableRandom rng = new SplittableRandom(12);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double d = Math.signum(rng.nextDouble() - 0.5) * Math.pow(10, -12 + 15 * rng.nextDouble()); // ±1e-12..1e3
            double want = StrictMath.expm1(d);
            double got = FusedGrpoObjective.expm1(d);
            if (Double.isInfinite(want)) {
                assertEquals(want, got, "d = " + d);
                continue;
            }
            worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
        }
        assertTrue(worst < 1e-13, "largest relative error " + worst);
        for (double d : new double[] {0.0, -0.0, 1e-2, -1e-2, Math.nextDown(1e-2), 800, -800}) {
            assertEquals(StrictMath.expm1(d), FusedGrpoObjective.expm1(d), Math.ulp(StrictMath.expm1(d)) * 64,
                    "d = " + d);
        }
        assertTrue(Double.isNaN(FusedGrpoObjective.expm1(Double.NaN)));
    }
}
