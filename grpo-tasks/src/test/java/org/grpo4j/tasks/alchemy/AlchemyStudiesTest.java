package org.grpo4j.tasks.alchemy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.grpo4j.Prompt;
import org.grpo4j.tasks.study.DatasetSizes;
import org.grpo4j.tasks.study.EvalSplit;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyDataset;
import org.junit.jupiter.api.Test;

/** The studies' datasets: deterministic, disjoint, mixed as asked, shaped as documented. */
class AlchemyStudiesTest {
    private static final AlchemyVocabulary V = AlchemyVocabulary.STANDARD;
    private static final DatasetSizes SIZES = new DatasetSizes(400, 20, 30);
    private final AlchemyStudies env = new AlchemyStudies();

    /** The element of a prompt, as atom indices whatever the alphabet. */
    static String element(Prompt p) {
        List<Integer> atoms = new ArrayList<>();
        for (int t : p.tokens()) {
            if (V.isAtom(t)) {
                atoms.add(t % Alphabet.SIZE);
            }
        }
        return atoms.toString();
    }

    private static List<List<Prompt>> sets(StudyDataset d) {
        List<List<Prompt>> all = new ArrayList<>(List.of(d.pretraining(), d.idGrpoPrompts(), d.oodGrpoPrompts()));
        d.evaluations().forEach(e -> all.add(e.prompts()));
        return all;
    }

    @Property(tries = 40)
    void noElementIsSharedBetweenAnyTwoSets(@ForAll StudyAxis axis, @ForAll @DoubleRange(min = 0, max = 1) double p,
                                            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        StudyDataset d = env.dataset(axis, p, SIZES, seed);
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (List<Prompt> set : sets(d)) {
            for (Prompt q : set) {
                seen.add(element(q));
                total++;
            }
        }
        assertEquals(total, seen.size(), "every element is drawn once");
    }

    @Property(tries = 20)
    void theOodShareOfPretrainingIsRoundedPTimesN(@ForAll @DoubleRange(min = 0, max = 1) double p,
                                                 @ForAll @LongRange(min = 0, max = 1000) long seed) {
        StudyDataset d = env.dataset(StudyAxis.DEPTH, p, SIZES, seed);
        long ood = d.pretraining().stream().filter(q -> transforms(q) == 3).count();
        long want = Math.round(p * 400);
        assertEquals(p > 0 && want == 0 ? 1 : want, ood);
    }

    private static long transforms(Prompt p) {
        return Arrays.stream(p.tokens()).filter(t -> V.transformation(t) != null).count();
    }

    @Test
    void theSameSeedGivesTheSameDatasetAndAnotherSeedAnother() {
        for (StudyAxis axis : StudyAxis.values()) {
            StudyDataset a = env.dataset(axis, 0.02, SIZES, 7);
            StudyDataset b = env.dataset(axis, 0.02, SIZES, 7);
            StudyDataset c = env.dataset(axis, 0.02, SIZES, 8);
            for (int i = 0; i < sets(a).size(); i++) {
                assertEquals(sets(a).get(i), sets(b).get(i));
                assertNotEquals(sets(a).get(i), sets(c).get(i));
            }
        }
    }

    @Test
    void eachAxisHasItsDocumentedSplitsAndShapes() {
        assertEquals(List.of("id", "ood-k3", "ood-k4"), names(StudyAxis.DEPTH));
        assertEquals(List.of("id", "ood-l5", "ood-l3", "ood-l6"), names(StudyAxis.LENGTH));
        assertEquals(List.of("id", "ood-disjoint", "ood-half"), names(StudyAxis.TOKEN_REPRESENTATION));
        assertEquals(List.of("id", "ood-held-out"), names(StudyAxis.COMPOSITION));

        StudyDataset depth = env.dataset(StudyAxis.DEPTH, 0, SIZES, 1);
        assertEquals(58, depth.vocabularySize());
        assertEquals(57, depth.eosToken());
        // k = 4, l = 4: prompt 4 + 4 + 1, target 3 × 5 + 1 + 4 + 1
        assertEquals(30, depth.contextLength());
        assertEquals(21, depth.maxNewTokens());
        assertTrue(depth.evaluations().get(2).prompts().stream().allMatch(q -> transforms(q) == 4));
        assertTrue(depth.pretraining().stream().allMatch(q -> transforms(q) <= 2), "p = 0: no OOD in pretraining");

        StudyDataset tokens = env.dataset(StudyAxis.TOKEN_REPRESENTATION, 0, SIZES, 1);
        EvalSplit disjoint = tokens.evaluations().get(1);
        assertTrue(disjoint.prompts().stream().flatMapToInt(q -> Arrays.stream(q.tokens()))
                .filter(V::isAtom).allMatch(t -> t >= Alphabet.SIZE), "disjoint atoms only");
        assertTrue(tokens.pretraining().stream().flatMapToInt(q -> Arrays.stream(q.tokens()))
                .filter(V::isAtom).allMatch(t -> t < Alphabet.SIZE), "p = 0: primary atoms only");

        StudyDataset comp = env.dataset(StudyAxis.COMPOSITION, 0, SIZES, 1);
        Set<String> held = new HashSet<>();
        for (Composition c : AlchemyStudies.HELD_OUT) {
            held.add(c.steps().toString());
        }
        assertTrue(comp.pretraining().stream().noneMatch(q -> held.contains(steps(q))));
        assertTrue(comp.oodGrpoPrompts().stream().allMatch(q -> held.contains(steps(q))));
        Set<Transformation> seenInPretraining = new HashSet<>();
        comp.pretraining().forEach(q -> Arrays.stream(q.tokens()).mapToObj(V::transformation)
                .filter(t -> t != null).forEach(seenInPretraining::add));
        assertEquals(Set.of(Transformation.values()), seenInPretraining);
    }

    private static String steps(Prompt p) {
        return Arrays.stream(p.tokens()).mapToObj(V::transformation).filter(t -> t != null).toList().toString();
    }

    private List<String> names(StudyAxis axis) {
        return env.dataset(axis, 0.1, SIZES, 3).evaluations().stream().map(EvalSplit::name).toList();
    }

    @Test
    void impossibleRequestsFailClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> env.dataset(StudyAxis.LENGTH, 0, new DatasetSizes(10, 10, 20000), 1));
        assertTrue(e.getMessage().startsWith("cannot draw 20000 distinct elements of length 3 for 'ood-l3'"),
                e.getMessage());
        assertEquals("oodFraction must be in [0.0, 1.0], was 1.5", assertThrows(IllegalArgumentException.class,
                () -> env.dataset(StudyAxis.DEPTH, 1.5, SIZES, 1)).getMessage());
    }
}
