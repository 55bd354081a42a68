package org.grpo4j.tasks.alchemy;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;

/**
 * One problem: an element, the alphabet it is written in and the composition to apply.
 *
 * @param element     atom indices in {@code [0, 26)}; not empty (copied)
 * @param alphabet    how the atoms are written
 * @param composition the task
 */
public record Problem(int[] element, Alphabet alphabet, Composition composition) {
    private static final AlchemyVocabulary V = AlchemyVocabulary.STANDARD;

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a field is null, the element is empty or holds an index outside
     *                                  {@code [0, 26)}
     */
    public Problem {
        Checks.notNull("element", element);
        Checks.notNull("alphabet", alphabet);
        Checks.notNull("composition", composition);
        if (element.length == 0) {
            throw new IllegalArgumentException("element must not be empty");
        }
        for (int a : element) {
            if (a < 0 || a >= Alphabet.SIZE) {
                throw new IllegalArgumentException("element atoms must be in [0, 26), was " + a);
            }
        }
        element = element.clone();
    }

    @Override
    public int[] element() {
        return element.clone();
    }

    /** @return {@code atoms… [T1] … [Tk] <think>} */
    public int[] promptTokens() {
        List<Integer> out = new ArrayList<>();
        for (int t : V.atoms(alphabet, element)) {
            out.add(t);
        }
        for (Transformation t : composition.steps()) {
            out.add(V.token(t));
        }
        out.add(V.think());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The reference completion (see {@link AnswerFormat}).
     *
     * @param format chain of thought or direct
     * @param config n of ROT and SHIFT
     * @return the target tokens, ending in {@code <eos>}
     * @throws IllegalArgumentException if an argument is null
     */
    public int[] targetTokens(AnswerFormat format, AlchemyConfig config) {
        Checks.notNull("format", format);
        Checks.notNull("config", config);
        List<int[]> chain = composition.chain(element, config.rotation(), config.shift());
        List<Integer> out = new ArrayList<>();
        if (format == AnswerFormat.CHAIN_OF_THOUGHT) {
            for (int i = 0; i + 1 < chain.size(); i++) {
                for (int t : V.atoms(alphabet, chain.get(i))) {
                    out.add(t);
                }
                out.add(V.token(composition.steps().get(i + 1)));
            }
        }
        out.add(V.answer());
        for (int t : V.atoms(alphabet, chain.get(chain.size() - 1))) {
            out.add(t);
        }
        out.add(V.eos());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param id     the prompt's name
     * @param config the environment (format, n of ROT and SHIFT)
     * @return the prompt with its reference target
     * @throws IllegalArgumentException if an argument is null or {@code id} is blank
     */
    public Prompt toPrompt(String id, AlchemyConfig config) {
        return new Prompt(id, promptTokens(), targetTokens(config.format(), config));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Problem p && java.util.Arrays.equals(element, p.element) && alphabet == p.alphabet
                && composition.equals(p.composition);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * java.util.Arrays.hashCode(element) + alphabet.hashCode()) + composition.hashCode();
    }

    @Override
    public String toString() {
        return V.decode(promptTokens());
    }
}
