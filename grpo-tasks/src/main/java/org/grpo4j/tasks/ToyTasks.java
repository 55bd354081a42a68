package org.grpo4j.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;

/**
 * Generates prompts for the toy {@link SequenceTask}s over an alphabet of {@code symbols} tokens.
 *
 * <p>Token layout: ids {@code [0, symbols)} are symbols, then one marker token per task (which task to perform),
 * then the end-of-sequence token; {@link #vocabularySize()} = symbols + tasks + 1. A prompt is
 * {@code x_1 … x_n MARKER(task)}; its target (the reference answer) is {@code task(x) EOS}.
 *
 * @param symbols   alphabet size; ≥ 2
 * @param minLength shortest input; ≥ 1
 * @param maxLength longest input; ≥ minLength
 */
public record ToyTasks(int symbols, int minLength, int maxLength) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule
     */
    public ToyTasks {
        Checks.atLeast("symbols", symbols, 2);
        Checks.atLeast("minLength", minLength, 1);
        if (maxLength < minLength) {
            throw new IllegalArgumentException("maxLength (" + maxLength + ") must be ≥ minLength (" + minLength + ")");
        }
    }

    /** @return symbols + one marker per task + EOS */
    public int vocabularySize() {
        return symbols + SequenceTask.values().length + 1;
    }

    /** @return the end-of-sequence token id */
    public int eos() {
        return symbols + SequenceTask.values().length;
    }

    /**
     * The marker token of a task.
     *
     * @param task the task
     * @return its token id
     */
    public int marker(SequenceTask task) {
        return symbols + task.ordinal();
    }

    /** @return the longest prompt plus answer plus EOS: the context a model needs */
    public int maxSequenceLength() {
        return 2 * maxLength + 2;
    }

    /**
     * The prompt for one input.
     *
     * @param task the task
     * @param x    the input symbols, each in {@code [0, symbols)}
     * @return the prompt with its target {@code task(x) EOS}
     * @throws IllegalArgumentException if {@code x} is empty or holds a non-symbol
     */
    public Prompt prompt(SequenceTask task, int[] x) {
        Checks.tokensInVocabulary("x", x, symbols);
        if (x.length == 0) {
            throw new IllegalArgumentException("x must not be empty");
        }
        int[] tokens = Arrays.copyOf(x, x.length + 1);
        tokens[x.length] = marker(task);
        int[] answer = task.apply(x);
        int[] target = Arrays.copyOf(answer, answer.length + 1);
        target[answer.length] = eos();
        return new Prompt(task.name().toLowerCase(java.util.Locale.ROOT) + ":" + Arrays.toString(x), tokens, target);
    }

    /**
     * Random prompts with input lengths uniform in {@code [minLength, maxLength]}.
     *
     * @param task  the task
     * @param count how many; ≥ 0
     * @param rng   the source of randomness
     * @return the prompts
     * @throws IllegalArgumentException if {@code count < 0} or {@code rng} is null
     */
    public List<Prompt> sample(SequenceTask task, int count, RandomGenerator rng) {
        Checks.atLeast("count", count, 0);
        Checks.notNull("rng", rng);
        List<Prompt> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = minLength + rng.nextInt(maxLength - minLength + 1);
            int[] x = new int[n];
            for (int j = 0; j < n; j++) {
                x[j] = rng.nextInt(symbols);
            }
            out.add(prompt(task, x));
        }
        return out;
    }
}
