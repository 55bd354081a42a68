package org.grpo4j.tasks.alchemy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.grpo4j.Prompt;
import org.junit.jupiter.api.Test;

/** The verifiers accept exactly the right answers. */
class AlchemyVerifierProperties {
    private static final AlchemyVocabulary V = AlchemyVocabulary.STANDARD;
    private final AlchemyOutcomeVerifier outcome = new AlchemyOutcomeVerifier();
    private final AlchemyStepVerifier step = new AlchemyStepVerifier();

    @Provide
    Arbitrary<Prompt> prompts() {
        Arbitrary<int[]> element = Arbitraries.integers().between(0, 25).array(int[].class).ofMinSize(3)
                .ofMaxSize(6);
        Arbitrary<Composition> composition = Arbitraries.of(Transformation.class).list().ofMinSize(1).ofMaxSize(4)
                .map(Composition::new);
        return Combinators.combine(element, Arbitraries.of(Alphabet.class), composition,
                Arbitraries.of(AnswerFormat.class)).as((e, a, c, f) -> new Problem(e, a, c)
                .toPrompt("p", new AlchemyConfig(4, 13, 1, f)));
    }

    @Property
    void theTargetScoresOne(@ForAll("prompts") Prompt p) throws Exception {
        assertEquals(1.0, outcome.score(p, p.target()));
        assertEquals(1.0, step.score(p, p.target()));
    }

    @Property
    void anyChangeToTheFinalAnswerScoresZero(@ForAll("prompts") Prompt p, @ForAll @IntRange(min = 0, max = 5) int at,
                                             @ForAll @IntRange(min = 1, max = 51) int by) throws Exception {
        int[] c = p.target();
        int answer = indexOf(c, V.answer());
        int atom = answer + 1 + at % (c.length - answer - 2);        // an atom of the final element
        c[atom] = (c[atom] + by) % 52;                                // another atom token
        assertEquals(0.0, outcome.score(p, c));
        assertTrue(step.score(p, c) < 1);
    }

    @Property
    void aWrongIntermediateKeepsTheOutcomeButNotTheStepReward(@ForAll("prompts") Prompt p) throws Exception {
        int[] c = p.target();
        if (V.isAtom(c[0])) {                                         // chain of thought with k ≥ 2
            c[0] = (c[0] + 1) % 52;
            assertEquals(1.0, outcome.score(p, c));
            double s = step.score(p, c);
            assertTrue(s < 1 && s > 0, "step reward " + s);
        }
    }

    @Property
    void aCompletionCutOffBeforeEosScoresZero(@ForAll("prompts") Prompt p) throws Exception {
        int[] c = p.target();
        assertEquals(0.0, outcome.score(p, Arrays.copyOf(c, c.length - 1)));
    }

    @Property
    void rewardsOfArbitraryTokensAreInRange(@ForAll("prompts") Prompt p,
                                            @ForAll("garbage") int[] completion) throws Exception {
        double o = outcome.score(p, completion);
        double s = step.score(p, completion);
        assertTrue(o == 0 || o == 1);
        assertTrue(s >= 0 && s <= 1);
        assertTrue(o == 0 || s > 0, "a right final answer is one right step");
    }

    @Provide
    Arbitrary<int[]> garbage() {
        return Arbitraries.integers().between(0, V.size() - 1).array(int[].class).ofMaxSize(25);
    }

    @Test
    void stepRewardCountsRightSlots() throws Exception {
        Problem pr = new Problem(new int[] {0, 1, 2, 3}, Alphabet.PRIMARY,
                Composition.of(Transformation.ROT, Transformation.SHIFT, Transformation.REVERSE));
        Prompt p = pr.toPrompt("p", AlchemyConfig.defaults());
        // target: NOPQ [SHIFT] OPQN [REVERSE] <answer> NQPO <eos>
        assertEquals(2.0 / 3, step.score(p, V.encode("NOPQ [SHIFT] XXXX [REVERSE] <answer> NQPO <eos>")), 1e-12);
        // OPQN is not closed by [REVERSE], so it is no result; the final answer is missing
        assertEquals(1.0 / 3, step.score(p, V.encode("NOPQ [SHIFT] OPQN <eos>")), 1e-12);
        assertEquals(0.0, step.score(p, new int[0]));
        assertEquals(1.0, outcome.score(p, V.encode("<answer> NQPO <eos>")));
        List<String> names = new ArrayList<>(List.of(outcome.name(), step.name()));
        assertEquals(List.of("alchemy_outcome", "alchemy_step"), names);
        assertThrows(IllegalArgumentException.class, () -> outcome.score(Prompt.of("x", 1), new int[0]));
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError("no " + v);
    }
}
