package org.grpo4j.tasks.alchemy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Tokenisation both ways. */
class AlchemyVocabularyProperties {
    private static final AlchemyVocabulary V = AlchemyVocabulary.STANDARD;

    @Provide
    Arbitrary<int[]> ids() {
        return Arbitraries.integers().between(0, V.size() - 1).array(int[].class).ofMaxSize(30);
    }

    @Property
    void encodeInvertsDecode(@ForAll("ids") int[] ids) {
        assertArrayEquals(ids, V.encode(V.decode(ids)));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').ofMinLength(1)
                .ofMaxLength(6);
        Arbitrary<String> special = Arbitraries.of("[ROT]", "[SHIFT]", "[REVERSE]", "<think>", "<answer>", "<eos>");
        // a letter run, then one or more specials: no two runs adjacent
        Arbitrary<String> unit = Combinators.combine(word, special.list().ofMinSize(1).ofMaxSize(3))
                .as((w, s) -> w + " " + String.join("  ", s));
        return unit.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("\t", l));
    }

    @Property
    void decodeInvertsEncodeUpToWhiteSpace(@ForAll("texts") String text) {
        assertEquals(String.join(" ", text.trim().split("\\s+")), V.decode(V.encode(text)));
    }

    @Test
    void layoutAndErrors() {
        assertEquals(58, V.size());
        assertArrayEquals(new int[] {0, 25, 26, 51, 52, 53, 54, 55, 56, 57},
                V.encode("AZ az [ROT] [SHIFT] [REVERSE] <think> <answer> <eos>"));
        assertEquals(List.of("unknown token '[ROTATE]' in \"AB [ROTATE]\"", "token id must be in [0, 58), was 58 at 1"),
                List.of(assertThrows(IllegalArgumentException.class, () -> V.encode("AB [ROTATE]")).getMessage(),
                        assertThrows(IllegalArgumentException.class, () -> V.decode(new int[] {0, 58}))
                                .getMessage()));
    }
}
