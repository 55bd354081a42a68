package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsCoverage;
import org.grpo4j.GrpoConfig;

/**
 * Shows, with jqwik statistics and coverage checks, that {@link ObjectiveArbitraries} reaches the edge cases the
 * objective's properties are about: group size 2, all-equal and binary reward groups, fully masked and ragged
 * rows, tokens clipped in the direction of their advantage, the dual clip binding, absent logpOld/logpRef and
 * precomputed advantages. Also checks that the generated cases are valid.
 */
class ObjectiveArbitrariesProperties {

    @Provide
    Arbitrary<ObjectiveCase> cases() {
        return ObjectiveArbitraries.cases();
    }

    /** @param c a generated case */
    @Property(tries = 400)
    void casesReachTheEdgeCases(@ForAll("cases") ObjectiveCase c) {
        GrpoConfig config = c.config();
        int g = config.groupSize();
        assertTrue(c.t() <= config.maxCompletionLength() && c.n() % g == 0);
        assertTrue(config.beta() == 0 || c.logpRef() != null, "beta > 0 needs logpRef");

        boolean allEqual = false;
        boolean binary = false;
        for (int start = 0; start < c.n(); start += g) {
            allEqual |= ReferenceGrpoObjective.allEqual(c.rewards(), start, g);
            boolean zeroOne = true;
            Set<Double> values = new HashSet<>();
            for (int i = start; i < start + g; i++) {
                zeroOne &= c.rewards()[i] == 0 || c.rewards()[i] == 1;
                values.add(c.rewards()[i]);
            }
            binary |= zeroOne && values.size() == 2;
        }
        boolean fullyMasked = false;
        boolean ragged = false;
        for (int i = 0; i < c.n(); i++) {
            int l = c.activeLength(i);
            fullyMasked |= l == 0;
            ragged |= l > 0 && l < c.t();
        }
        ReferenceGrpoObjective.Result ref = c.reference();
        boolean clipped = ref.metrics().clipFractionRegion() > 0;
        boolean dual = ref.metrics().dualClipFraction() > 0;

        Statistics.label("G = 2").collect(g == 2);
        Statistics.label("all-equal group").collect(allEqual);
        Statistics.label("binary group").collect(binary);
        Statistics.label("fully masked row").collect(fullyMasked);
        Statistics.label("ragged row").collect(ragged);
        Statistics.label("clipped token").collect(clipped);
        Statistics.label("dual clip binds").collect(dual);
        Statistics.label("logpOld absent").collect(c.logpOld() == null);
        Statistics.label("logpRef absent").collect(c.logpRef() == null);
        Statistics.label("precomputed advantages").collect(c.advantages() != null);
        Statistics.label("T = maxCompletionLength").collect(c.t() == config.maxCompletionLength());

        // thresholds about half of the observed rates, so that the check is stable across seeds
        atLeast("G = 2", 20);
        atLeast("all-equal group", 25);
        atLeast("binary group", 20);
        atLeast("fully masked row", 35);
        atLeast("ragged row", 40);
        atLeast("clipped token", 18);
        atLeast("dual clip binds", 3);
        atLeast("logpOld absent", 8);
        atLeast("logpRef absent", 10);
        atLeast("precomputed advantages", 8);
        atLeast("T = maxCompletionLength", 8);

        // the covariance losses select more than one token often enough to test the ranking and its ties
        org.grpo4j.PolicyLoss loss = config.policyLoss();
        if (loss == org.grpo4j.PolicyLoss.KL_COV || loss == org.grpo4j.PolicyLoss.CLIP_COV) {
            int selected = 0;
            for (boolean[] row : ref.covSelected()) {
                for (boolean b : row) {
                    selected += b ? 1 : 0;
                }
            }
            Statistics.label("covariance selection").collect(selected == 0 ? "none" : selected == 1 ? "one"
                    : "several");
        }
    }

    private static void atLeast(String label, double percent) {
        Statistics.label(label).coverage((StatisticsCoverage cov) -> cov.check(true).percentage(p -> p >= percent));
    }

    /**
     * Every enum value, both dual-clip settings and both β settings are drawn (each of the 432 variants is tried
     * explicitly by {@code GrpoObjectiveContract#matchesReferenceForEveryVariant}).
     *
     * @param c a generated configuration
     */
    @Property(tries = 400)
    void configsCoverEveryOption(@ForAll("configs") GrpoConfig c) {
        Statistics.label("baseline").collect(c.advantageBaseline());
        Statistics.label("scaling").collect(c.advantageScaling());
        Statistics.label("importance").collect(c.importanceLevel());
        Statistics.label("kl").collect(c.klEstimator());
        Statistics.label("aggregation").collect(c.lossAggregation());
        Statistics.label("dual clip").collect(c.dualClipEnabled());
        Statistics.label("beta > 0").collect(c.beta() > 0);
        Statistics.label("baseline").coverage(cov -> {
            for (org.grpo4j.AdvantageBaseline v : ConfigVariant.BASELINES) {
                cov.check(v).percentage(p -> p >= 20);
            }
        });
        Statistics.label("scaling").coverage(cov -> {
            for (org.grpo4j.AdvantageScaling v : ConfigVariant.SCALINGS) {
                cov.check(v).percentage(p -> p >= 15);
            }
        });
        Statistics.label("importance").coverage(cov -> {
            for (org.grpo4j.ImportanceLevel v : org.grpo4j.ImportanceLevel.values()) {
                cov.check(v).percentage(p -> p >= 20);
            }
        });
        Statistics.label("kl").coverage(cov -> {
            for (org.grpo4j.KlEstimator v : org.grpo4j.KlEstimator.values()) {
                cov.check(v).percentage(p -> p >= 15);
            }
        });
        Statistics.label("aggregation").coverage(cov -> {
            for (org.grpo4j.LossAggregation v : org.grpo4j.LossAggregation.values()) {
                cov.check(v).percentage(p -> p >= 5);                    // four values since LUSPO; ~12% expected
            }
        });
        Statistics.label("policy loss").collect(c.policyLoss());
        Statistics.label("policy loss").coverage(cov -> {
            for (org.grpo4j.PolicyLoss v : org.grpo4j.PolicyLoss.values()) {
                cov.check(v).percentage(p -> p >= 0.5);                  // ~3% expected; 400 tries vary
            }
        });
        Statistics.label("fully masked rows").collect(c.fullyMaskedRows());
        Statistics.label("fully masked rows").coverage(cov ->
                cov.check(org.grpo4j.FullyMaskedRows.COUNTED).percentage(p -> p >= 8));
        Statistics.label("dual clip").coverage(cov -> cov.check(true).percentage(p -> p >= 20));
        Statistics.label("beta > 0").coverage(cov -> cov.check(true).percentage(p -> p >= 20));
    }

    @Provide
    Arbitrary<GrpoConfig> configs() {
        return ObjectiveArbitraries.configs();
    }

    /**
     * The 2808 variants (432 of them classic) are distinct and each builds a valid configuration that maps back to
     * it.
     */
    @Example
    void everyVariantIsDistinctAndValid() {
        assertEquals(2808, ConfigVariant.all().size());
        assertEquals(2808, new HashSet<>(ConfigVariant.all()).size());
        assertEquals(432, ConfigVariant.classic().size());
        assertEquals(828, ConfigVariant.suite().size());
        ConfigNumbers numbers = ConfigNumbers.of(GrpoConfig.defaults());
        for (ConfigVariant v : ConfigVariant.all()) {
            assertEquals(v, ConfigVariant.of(v.config(numbers)));
        }
    }
}
