package org.grpo4j.tasks.alchemy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Transformations, chains and problem texts against examples worked out by hand. */
class TransformationTest {
    private static final AlchemyVocabulary V = AlchemyVocabulary.STANDARD;
    private static final AlchemyConfig CONFIG = AlchemyConfig.defaults();

    private static int[] atoms(String letters) {
        int[] out = new int[letters.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Character.toUpperCase(letters.charAt(i)) - 'A';
        }
        return out;
    }

    @Test
    void baseTransformationsMatchHandWorkedExamples() {
        assertArrayEquals(atoms("NOPQ"), Transformation.ROT.apply(atoms("ABCD"), 13, 1));
        assertArrayEquals(atoms("KLMN"), Transformation.ROT.apply(atoms("XYZA"), 13, 1));
        assertArrayEquals(atoms("BCDE"), Transformation.ROT.apply(atoms("ABCD"), 1, 1));
        assertArrayEquals(atoms("BCDA"), Transformation.SHIFT.apply(atoms("ABCD"), 13, 1));
        assertArrayEquals(atoms("CDEAB"), Transformation.SHIFT.apply(atoms("ABCDE"), 13, 2));
        assertArrayEquals(atoms("DCBA"), Transformation.REVERSE.apply(atoms("ABCD"), 13, 1));
        assertArrayEquals(atoms("ZYXWV"), Transformation.REVERSE.apply(atoms("VWXYZ"), 13, 1));
    }

    @Test
    void aDepthThreeChainAndItsTargetsReadAsWrittenOut() {
        Problem p = new Problem(atoms("ABCD"), Alphabet.PRIMARY,
                Composition.of(Transformation.ROT, Transformation.SHIFT, Transformation.REVERSE));
        assertEquals("ABCD [ROT] [SHIFT] [REVERSE] <think>", V.decode(p.promptTokens()));
        // ROT13: NOPQ, SHIFT1: OPQN, REVERSE: NQPO
        assertEquals("NOPQ [SHIFT] OPQN [REVERSE] <answer> NQPO <eos>",
                V.decode(p.targetTokens(AnswerFormat.CHAIN_OF_THOUGHT, CONFIG)));
        assertEquals("<answer> NQPO <eos>", V.decode(p.targetTokens(AnswerFormat.DIRECT, CONFIG)));
        List<int[]> chain = p.composition().chain(atoms("ABCD"), 13, 1);
        assertArrayEquals(atoms("NQPO"), chain.get(2));
    }

    @Test
    void otherAlphabetsWriteTheSameProblem() {
        Problem disjoint = new Problem(atoms("ABCD"), Alphabet.DISJOINT, Composition.of(Transformation.ROT));
        assertEquals("abcd [ROT] <think>", V.decode(disjoint.promptTokens()));
        assertEquals("<answer> nopq <eos>", V.decode(disjoint.targetTokens(AnswerFormat.CHAIN_OF_THOUGHT, CONFIG)));
        // half: indices 0–12 capital, 13–25 small; A B N O → "ABno", ROT13 → N O A B → "noAB"
        Problem half = new Problem(new int[] {0, 1, 13, 14}, Alphabet.HALF, Composition.of(Transformation.ROT));
        assertEquals("ABno [ROT] <think>", V.decode(half.promptTokens()));
        assertEquals("<answer> noAB <eos>", V.decode(half.targetTokens(AnswerFormat.DIRECT, CONFIG)));
    }

    @Test
    void compositionsAreEnumeratedAndValidated() {
        assertEquals(3, Composition.all(1).size());
        assertEquals(27, Composition.all(3).size());
        assertEquals(Composition.of(Transformation.ROT, Transformation.ROT), Composition.all(2).get(0));
        assertEquals("steps must not be empty", assertThrows(IllegalArgumentException.class,
                () -> new Composition(List.of())).getMessage());
        assertEquals("element atoms must be in [0, 26), was 26 at 1", assertThrows(IllegalArgumentException.class,
                () -> Transformation.ROT.apply(new int[] {0, 26}, 13, 1)).getMessage());
        assertEquals("shift must be in [1, length − 1 = 3], was 4", assertThrows(IllegalArgumentException.class,
                () -> new AlchemyConfig(4, 13, 4, AnswerFormat.DIRECT)).getMessage());
    }
}
