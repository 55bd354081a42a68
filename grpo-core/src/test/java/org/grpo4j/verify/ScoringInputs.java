package org.grpo4j.verify;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Prompt;

/** Prompt and completion lists for the runner's tests: completion i is the one token {@code i}. */
final class ScoringInputs {
    /** The prompt {@link #prompts(int)} repeats. */
    static final Prompt P = new Prompt("p7", new int[] {1, 2}, new int[] {3});

    private ScoringInputs() {
    }

    /** @param n how many @return {@link #P}, {@code n} times */
    static List<Prompt> prompts(int n) {
        List<Prompt> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(P);
        }
        return ps;
    }

    /** @param n how many @return prompts {@code p0 … p(n-1)}, each with token {@code 1} */
    static List<Prompt> distinctPrompts(int n) {
        List<Prompt> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(Prompt.of("p" + i, 1));
        }
        return ps;
    }

    /** @param n how many @return completions {@code {0}, {1}, …, {n-1}} */
    static List<int[]> completions(int n) {
        List<int[]> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cs.add(new int[] {i});
        }
        return cs;
    }
}
