package org.grpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsCoverage;

/**
 * The theory generators produce what they promise — valid distributions whose starting policies share the base
 * support, groups drawn from the support — and, shown with jqwik statistics and coverage checks, the edge cases
 * the suites rely on: Q = 0, Q = 1, Q near 0 and near 1, correct outputs outside the support, group size 2,
 * all-equal groups and unsampled outputs.
 */
class TheoryArbitrariesProperties {

    @Provide
    Arbitrary<Tuple2<TabularCase, int[][]>> binaryCases() {
        return TheoryArbitraries.binaryCases(TheoryArbitraries.configs(ConfigVariant.classic(), 5, 0.01, 1.0), 3,
                        TheoryArbitraries.MAX_OUTPUTS, TheoryArbitraries.correctMasses(), true)
                .flatMap(c -> TheoryArbitraries.groups(c).map(g -> Tuple.of(c, g)));
    }

    @Provide
    Arbitrary<TabularCase> generalCases() {
        return TheoryArbitraries.generalCases(TheoryArbitraries.configs(ConfigVariant.classic(), 5, 0.01, 1.0), 3, 1,
                TheoryArbitraries.MAX_OUTPUTS, true);
    }

    /**
     * Binary cases: rows are distributions, the start shares the support, groups lie in the support; the edge
     * cases occur.
     *
     * @param cg a case and its groups
     */
    @Property(tries = 500)
    void binaryCasesAreValidAndReachTheEdgeCases(@ForAll("binaryCases") Tuple2<TabularCase, int[][]> cg) {
        TabularCase c = cg.get1();
        int[][] groups = cg.get2();
        assertTrue(c.binary());
        checkRows(c);
        boolean allEqual = false;
        boolean outsideCorrect = false;
        for (int x = 0; x < c.prompts(); x++) {
            assertEquals(c.config().groupSize(), groups[x].length);
            boolean same = true;
            for (int y : groups[x]) {
                assertTrue(c.inSupport(x, y), "a group holds an output outside the support");
                same &= c.rewards()[x][y] == c.rewards()[x][groups[x][0]];
            }
            allEqual |= same;
            for (int y = 0; y < c.outputs(); y++) {
                outsideCorrect |= !c.inSupport(x, y) && c.rewards()[x][y] == 1;
            }
            double q = c.correctMass(x);
            Statistics.label("Q").collect(q == 0 ? "Q = 0" : q == 1 ? "Q = 1" : q < 0.01 ? "Q near 0"
                    : q > 0.99 ? "Q near 1" : "between");
        }
        Statistics.label("G = 2").collect(c.config().groupSize() == 2);
        Statistics.label("a group with all-equal rewards").collect(allEqual);
        Statistics.label("a correct output outside the support").collect(outsideCorrect);
        Statistics.label("G = 2").coverage(cov -> cov.check(true).percentage(p -> p >= 30));
        Statistics.label("a group with all-equal rewards").coverage(cov -> cov.check(true).percentage(p -> p >= 30));
        Statistics.label("a correct output outside the support")
                .coverage(cov -> cov.check(true).percentage(p -> p >= 30));
        Statistics.label("Q").coverage((StatisticsCoverage cov) -> {
            cov.check("Q = 0").percentage(p -> p >= 4);
            cov.check("Q = 1").percentage(p -> p >= 4);
            cov.check("Q near 0").percentage(p -> p >= 8);
            cov.check("Q near 1").percentage(p -> p >= 8);
        });
    }

    /**
     * General cases: rows are distributions with outputs outside the support, and every reward family occurs.
     *
     * @param c the case
     */
    @Property(tries = 500)
    void generalCasesAreValidAndMixRewardFamilies(@ForAll("generalCases") TabularCase c) {
        checkRows(c);
        boolean outside = false;
        for (int x = 0; x < c.prompts(); x++) {
            for (int y = 0; y < c.outputs(); y++) {
                outside |= !c.inSupport(x, y);
            }
        }
        Statistics.label("binary rewards").collect(c.binary());
        Statistics.label("an output outside the support").collect(outside);
        Statistics.label("start differs from the reference")
                .collect(!java.util.Arrays.deepEquals(c.start(), c.reference()));
        Statistics.label("binary rewards").coverage(cov -> cov.check(true).percentage(p -> p >= 12));
        Statistics.label("an output outside the support").coverage(cov -> cov.check(true).percentage(p -> p >= 30));
        Statistics.label("start differs from the reference")
                .coverage(cov -> cov.check(true).percentage(p -> p >= 25));
    }

    private static void checkRows(TabularCase c) {
        for (int x = 0; x < c.prompts(); x++) {
            double sum = 0;
            double startSum = 0;
            for (int y = 0; y < c.outputs(); y++) {
                double p = c.reference()[x][y];
                assertTrue(p >= 0 && p <= 1, "probability " + p);
                assertEquals(p == 0, c.start()[x][y] == 0, "the start must keep the base support");
                assertTrue(Double.isFinite(c.rewards()[x][y]));
                sum += p;
                startSum += c.start()[x][y];
            }
            assertEquals(1.0, sum, 1e-9);
            assertEquals(1.0, startSum, 1e-9);
        }
    }
}
