package org.grpo4j.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Prompt;
import org.junit.jupiter.api.Test;

/** Examples of {@link ToyTasks}, {@link SequenceTask} and {@link ExactMatchVerifier}. */
class ToyTasksTest {
    private final ToyTasks tasks = new ToyTasks(4, 2, 5);

    @Test
    void tokenLayoutIsSymbolsThenMarkersThenEos() {
        assertEquals(7, tasks.vocabularySize());
        assertEquals(4, tasks.marker(SequenceTask.COPY));
        assertEquals(5, tasks.marker(SequenceTask.REVERSE));
        assertEquals(6, tasks.eos());
        assertEquals(12, tasks.maxSequenceLength());
    }

    @Test
    void promptIsInputThenMarkerAndTargetIsAnswerThenEos() {
        Prompt p = tasks.prompt(SequenceTask.REVERSE, new int[] {0, 1, 3});
        assertArrayEquals(new int[] {0, 1, 3, 5}, p.tokens());
        assertArrayEquals(new int[] {3, 1, 0, 6}, p.target());
        Prompt c = tasks.prompt(SequenceTask.COPY, new int[] {2, 2, 1});
        assertArrayEquals(new int[] {2, 2, 1, 6}, c.target());
    }

    @Test
    void samplesHaveLengthsInRangeAndAreReproducible() {
        List<Prompt> a = tasks.sample(SequenceTask.REVERSE, 200, new SplittableRandom(3));
        List<Prompt> b = tasks.sample(SequenceTask.REVERSE, 200, new SplittableRandom(3));
        boolean sawMin = false;
        boolean sawMax = false;
        for (int i = 0; i < a.size(); i++) {
            int n = a.get(i).tokens().length - 1;
            assertTrue(n >= 2 && n <= 5, "length " + n);
            sawMin |= n == 2;
            sawMax |= n == 5;
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
        }
        assertTrue(sawMin && sawMax, "both ends of the length range occur");
    }

    @Test
    void exactMatchScoresOnlyTheWholeTargetWithEos() {
        ExactMatchVerifier v = new ExactMatchVerifier();
        Prompt p = tasks.prompt(SequenceTask.REVERSE, new int[] {0, 1});
        assertEquals(1.0, v.score(p, new int[] {1, 0, 6}));
        assertEquals(0.0, v.score(p, new int[] {1, 0}), "missing EOS");
        assertEquals(0.0, v.score(p, new int[] {1, 0, 6, 6}), "extra token");
        assertEquals(0.0, v.score(p, new int[] {0, 1, 6}), "copied instead of reversed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.score(Prompt.of("bare", 1, 2), new int[] {1}));
        assertEquals("prompt 'bare' has no target to match", e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("symbols must be ≥ 2, was 1",
                assertThrows(IllegalArgumentException.class, () -> new ToyTasks(1, 1, 2)).getMessage());
        assertEquals("minLength must be ≥ 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new ToyTasks(2, 0, 2)).getMessage());
        assertEquals("maxLength (1) must be ≥ minLength (2)",
                assertThrows(IllegalArgumentException.class, () -> new ToyTasks(2, 2, 1)).getMessage());
        assertEquals("count must be ≥ 0, was -1", assertThrows(IllegalArgumentException.class,
                () -> tasks.sample(SequenceTask.COPY, -1, new SplittableRandom(1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> tasks.prompt(SequenceTask.COPY, new int[] {4}));
        assertEquals("x must not be empty", assertThrows(IllegalArgumentException.class,
                () -> tasks.prompt(SequenceTask.COPY, new int[0])).getMessage());
    }
}
