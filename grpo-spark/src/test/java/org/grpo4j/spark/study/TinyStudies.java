package org.grpo4j.spark.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.tasks.study.DatasetSizes;
import org.grpo4j.tasks.study.EvalSplit;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyDataset;
import org.grpo4j.tasks.study.StudyEnvironment;

/**
 * grpo-tasks' test environment (copy a string of atoms {0, 1, 2}; ID strings 2 atoms, OOD 3), counting the cells it
 * builds data for: in {@code local[2]} the executors share this JVM, so the count shows which cells ran.
 */
final class TinyStudies implements StudyEnvironment {
    static final Map<String, AtomicInteger> BUILT = new ConcurrentHashMap<>();
    private static final int MARK = 3;
    private static final int EOS = 4;

    @Override
    public StudyDataset dataset(StudyAxis axis, double oodFraction, DatasetSizes sizes, long seed) {
        BUILT.computeIfAbsent(axis + "/" + oodFraction, k -> new AtomicInteger()).incrementAndGet();
        SplittableRandom rng = new SplittableRandom(seed);
        List<Prompt> pretraining = new ArrayList<>();
        for (int i = 0; i < sizes.pretrainExamples(); i++) {
            pretraining.add(prompt("pre-" + i, rng.nextDouble() < oodFraction ? 3 : 2, rng));
        }
        RewardVerifier exact = (p, c) -> Arrays.equals(p.target(), c) ? 1 : 0;
        RewardVerifier firstAtom = (p, c) -> c.length > 0 && c[0] == p.target()[0] ? 1 : 0;
        return new StudyDataset(axis, oodFraction, 5, EOS, 8, 4, pretraining, prompts("id", 2, sizes.grpoPrompts(),
                rng), prompts("ood", 3, sizes.grpoPrompts(), rng),
                List.of(new EvalSplit("id", true, prompts("eval-id", 2, sizes.evalPrompts(), rng)),
                        new EvalSplit("ood-3", false, prompts("eval-ood", 3, sizes.evalPrompts(), rng))),
                exact, firstAtom);
    }

    private static List<Prompt> prompts(String name, int length, int n, SplittableRandom rng) {
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prompt(name + "-" + i, length, rng));
        }
        return out;
    }

    private static Prompt prompt(String id, int length, SplittableRandom rng) {
        int[] x = new int[length + 1];
        int[] y = new int[length + 1];
        for (int i = 0; i < length; i++) {
            x[i] = rng.nextInt(3);
            y[i] = x[i];
        }
        x[length] = MARK;
        y[length] = EOS;
        return new Prompt(id, x, y);
    }
}
