package org.grpo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.grpo4j.testing.ObjectiveArbitraries;

/** {@link GrpoConfig#toBuilder()} round trip for arbitrary valid configurations. */
class GrpoConfigProperties {

    @Provide
    Arbitrary<GrpoConfig> configs() {
        return ObjectiveArbitraries.configs();
    }

    /** @param c any valid configuration */
    @Property(tries = 100)
    void anyConfigSurvivesToBuilderRoundTrip(@ForAll("configs") GrpoConfig c) {
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.dualClip() != Double.POSITIVE_INFINITY, c.dualClipEnabled());
    }
}
