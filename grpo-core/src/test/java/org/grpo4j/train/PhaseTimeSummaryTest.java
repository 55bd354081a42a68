package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseTimeSummaryTest {

    @Test
    void sumsThePhaseMetricsAndFormatsThemLargestFirst() {
        PhaseTimeSummary s = new PhaseTimeSummary();
        assertEquals("no steps", s.format());
        s.onStep(new StepMetrics(1, Map.of("time/sampling_seconds", 0.5, "time/backward_seconds", 0.25,
                "time/checkpoint_seconds", 0.0, "loss", 3.0)));
        s.onStep(new StepMetrics(2, Map.of("time/sampling_seconds", 0.5, "time/backward_seconds", 0.75)));
        assertEquals(2, s.steps());
        assertEquals(Map.of("sampling", 1.0, "backward", 1.0, "checkpoint", 0.0), s.seconds());
        s.onStep(new StepMetrics(3, Map.of("time/backward_seconds", 1.0)));
        assertEquals("backward 2.00 s (67%), sampling 1.00 s (33%)", s.format());
    }
}
