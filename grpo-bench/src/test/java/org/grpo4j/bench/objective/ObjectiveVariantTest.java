package org.grpo4j.bench.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.GrpoConfig;
import org.junit.jupiter.api.Test;

class ObjectiveVariantTest {

    @Test
    void variantsAreThePresetsWithTheLengthLimitRaised() {
        assertEquals(GrpoConfig.grpo().toBuilder().maxCompletionLength(512).build(), ObjectiveVariant.GRPO.config(512));
        assertEquals(GrpoConfig.gspo().toBuilder().maxCompletionLength(512).build(), ObjectiveVariant.GSPO.config(512));
        assertEquals(GrpoConfig.dapo().toBuilder().maxCompletionLength(512).build(), ObjectiveVariant.DAPO.config(512));
        assertEquals(GrpoConfig.drGrpo().toBuilder().maxCompletionLength(512).build(),
                ObjectiveVariant.DR_GRPO.config(512));
    }

    @Test
    void shapesAreWholeGroupsWithinTheLimit() {
        int groupSize = GrpoConfig.defaults().groupSize();
        for (ObjectiveShape s : ObjectiveShape.values()) {
            assertEquals(0, s.sequences() % groupSize, s.name());
            assertTrue(s.tokens() <= ObjectiveShape.MAX_TOKENS, s.name());
            assertEquals((long) s.sequences() * s.tokens(), s.elements());
            assertEquals("N" + s.sequences() + "_T" + s.tokens(), s.name());
        }
    }
}
