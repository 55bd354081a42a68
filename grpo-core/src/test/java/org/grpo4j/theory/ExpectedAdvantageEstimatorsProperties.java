package org.grpo4j.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.StdEstimator;
import org.grpo4j.objective.Advantages;

/**
 * The theory's one-group advantage agrees with {@link Advantages} for the no-baseline and population-deviation
 * options it accepts, and refuses the greedy baseline and batch whitening, which one group cannot define.
 */
class ExpectedAdvantageEstimatorsProperties {

    record Group(GrpoConfig config, double[] rewards) {
        @Override
        public String toString() {
            return config + " " + java.util.Arrays.toString(rewards);
        }
    }

    @Provide
    Arbitrary<Group> groups() {
        Arbitrary<GrpoConfig> configs = Combinators.combine(Arbitraries.integers().between(2, 5),
                Arbitraries.of(AdvantageBaseline.NONE, AdvantageBaseline.GROUP_MEAN, AdvantageBaseline.LEAVE_ONE_OUT),
                Arbitraries.of(AdvantageScaling.GROUP_STD, AdvantageScaling.NONE), Arbitraries.of(StdEstimator.class),
                Arbitraries.of(1e-4, 0.1)).as((g, b, s, d, eps) -> GrpoConfig.builder().groupSize(g)
                .advantageBaseline(b).advantageScaling(s).advantageStd(d).advantageEpsilon(eps).build());
        Arbitrary<Double> reward = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(0.0, 1.0)),
                Tuple.of(2, Arbitraries.doubles().between(-2, 2)));
        return configs.flatMap(c -> reward.array(double[].class).ofSize(c.groupSize()).map(r -> new Group(c, r)));
    }

    @Property(tries = 300)
    void oneGroupAdvantageMatchesAdvantages(@ForAll("groups") Group g) {
        double[] expected = Advantages.compute(g.rewards(), g.config());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], ExpectedAdvantage.advantage(g.rewards(), i, g.config()),
                    1e-9 * (1 + Math.abs(expected[i])), g + " member " + i);
        }
        Statistics.label("baseline").collect(g.config().advantageBaseline());
        Statistics.label("std").collect(g.config().advantageStd());
    }

    @Property(tries = 20)
    void greedyAndWhitenAreRefused(@ForAll("groups") Group g) {
        GrpoConfig greedy = g.config().toBuilder().advantageBaseline(AdvantageBaseline.GREEDY).build();
        GrpoConfig whiten = g.config().toBuilder().advantageScaling(AdvantageScaling.BATCH_WHITEN)
                .advantageBaseline(AdvantageBaseline.GROUP_MEAN).build();
        double[] distinct = g.rewards().clone();
        distinct[0] = 10;
        distinct[1] = -10;
        assertThrows(IllegalArgumentException.class, () -> ExpectedAdvantage.advantage(distinct, 0, greedy));
        assertThrows(IllegalArgumentException.class, () -> ExpectedAdvantage.advantage(distinct, 0, whiten));
        assertThrows(IllegalArgumentException.class, () -> FixedPoints.unscaledAdvantageFactor(greedy));
        assertThrows(IllegalArgumentException.class, () -> FixedPoints.unscaledAdvantageFactor(
                g.config().toBuilder().advantageBaseline(AdvantageBaseline.NONE).build()));
    }
}
