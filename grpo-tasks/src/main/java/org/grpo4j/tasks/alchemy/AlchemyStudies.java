package org.grpo4j.tasks.alchemy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;
import org.grpo4j.tasks.study.DatasetSizes;
import org.grpo4j.tasks.study.EvalSplit;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyDataset;
import org.grpo4j.tasks.study.StudyEnvironment;

/**
 * The four studies on the string-transformation environment. Each axis has an ID distribution, a primary OOD one
 * (GRPO's OOD prompts, and the share p of pretraining) and further evaluation splits; with the default config
 * (l = 4):
 * <ul>
 *   <li>DEPTH: ID compositions of k ∈ {1, 2} (a depth uniformly, then any of its 3^k sequences), OOD
 *       {@code ood-k3}; also {@code ood-k4}.</li>
 *   <li>LENGTH: ID elements of l atoms, OOD {@code ood-l5} (l + 1); also {@code ood-l3} and {@code ood-l6}; tasks of
 *       k ∈ {1, 2}.</li>
 *   <li>TOKEN_REPRESENTATION: ID in the primary alphabet, OOD {@code ood-disjoint} (the same problems in the
 *       disjoint alphabet); also {@code ood-half} (half overlapping); k ∈ {1, 2}.</li>
 *   <li>COMPOSITION: ID k = 1 and every k = 2 composition except {@link #HELD_OUT}, OOD {@code ood-held-out} —
 *       [SHIFT][REVERSE] and [REVERSE][SHIFT], which do not commute, of transformations each seen in pretraining.</li>
 * </ul>
 * Every element (atom string, in whatever alphabet) is drawn at most once per dataset, so pretraining, GRPO and
 * evaluation sets never share one. The same arguments give the same dataset.
 */
public final class AlchemyStudies implements StudyEnvironment {
    /** The held-out compositions of the COMPOSITION axis. */
    public static final List<Composition> HELD_OUT = List.of(
            Composition.of(Transformation.SHIFT, Transformation.REVERSE),
            Composition.of(Transformation.REVERSE, Transformation.SHIFT));

    private static final AlchemyVocabulary V = AlchemyVocabulary.STANDARD;
    /** Rejection draws allowed per distinct element before the element space counts as exhausted. */
    private static final int ATTEMPTS = 1000;

    private final AlchemyConfig config;

    /** The environment with {@link AlchemyConfig#defaults()}. */
    public AlchemyStudies() {
        this(AlchemyConfig.defaults());
    }

    /**
     * @param config element length, ROT and SHIFT amounts, answer format
     * @throws IllegalArgumentException if {@code config} is null
     */
    public AlchemyStudies(AlchemyConfig config) {
        this.config = Checks.notNull("config", config);
    }

    /** @return the configuration */
    public AlchemyConfig config() {
        return config;
    }

    /**
     * The distributions of an axis: ID first, the primary OOD second, then the other evaluation splits.
     *
     * @param axis the study
     * @return the distributions
     * @throws IllegalArgumentException if {@code axis} is null
     */
    public List<ProblemDistribution> distributions(StudyAxis axis) {
        int l = config.length();
        List<List<Composition>> shallow = List.of(Composition.all(1), Composition.all(2));
        return switch (Checks.notNull("axis", axis)) {
            case DEPTH -> List.of(new ProblemDistribution("id", l, Alphabet.PRIMARY, shallow),
                    new ProblemDistribution("ood-k3", l, Alphabet.PRIMARY, List.of(Composition.all(3))),
                    new ProblemDistribution("ood-k4", l, Alphabet.PRIMARY, List.of(Composition.all(4))));
            case LENGTH -> List.of(new ProblemDistribution("id", l, Alphabet.PRIMARY, shallow),
                    new ProblemDistribution("ood-l" + (l + 1), l + 1, Alphabet.PRIMARY, shallow),
                    new ProblemDistribution("ood-l" + (l - 1), l - 1, Alphabet.PRIMARY, shallow),
                    new ProblemDistribution("ood-l" + (l + 2), l + 2, Alphabet.PRIMARY, shallow));
            case TOKEN_REPRESENTATION -> List.of(new ProblemDistribution("id", l, Alphabet.PRIMARY, shallow),
                    new ProblemDistribution("ood-disjoint", l, Alphabet.DISJOINT, shallow),
                    new ProblemDistribution("ood-half", l, Alphabet.HALF, shallow));
            case COMPOSITION -> {
                List<Composition> seen = new ArrayList<>(Composition.all(2));
                seen.removeAll(HELD_OUT);
                yield List.of(new ProblemDistribution("id", l, Alphabet.PRIMARY, List.of(Composition.all(1), seen)),
                        new ProblemDistribution("ood-held-out", l, Alphabet.PRIMARY, List.of(HELD_OUT)));
            }
        };
    }

    /**
     * @throws IllegalArgumentException if an argument is null, {@code oodFraction} is outside [0, 1], or the
     *                                  sizes ask for more distinct elements than a length has
     */
    @Override
    public StudyDataset dataset(StudyAxis axis, double oodFraction, DatasetSizes sizes, long seed) {
        Checks.notNull("axis", axis);
        Checks.inClosedRange("oodFraction", oodFraction, 0, 1);
        Checks.notNull("sizes", sizes);
        List<ProblemDistribution> ds = distributions(axis);
        ProblemDistribution id = ds.get(0);
        ProblemDistribution ood = ds.get(1);
        SplittableRandom rng = new SplittableRandom(seed);
        Set<String> used = new HashSet<>();
        String prefix = axis.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-";

        int n = sizes.pretrainExamples();
        int nOod = (int) Math.round(oodFraction * n);
        if (oodFraction > 0 && nOod == 0) {
            nOod = 1;
        }
        List<Problem> pre = new ArrayList<>(n);
        pre.addAll(draw(ood, nOod, used, rng));
        pre.addAll(draw(id, n - nOod, used, rng));
        Collections.shuffle(pre, new java.util.Random(rng.nextLong()));
        List<Prompt> pretraining = prompts(prefix + "pretrain", pre);
        List<Prompt> idGrpo = prompts(prefix + "grpo-id", draw(id, sizes.grpoPrompts(), used, rng));
        List<Prompt> oodGrpo = prompts(prefix + "grpo-" + ood.name(), draw(ood, sizes.grpoPrompts(), used, rng));
        List<EvalSplit> evals = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            ProblemDistribution d = ds.get(i);
            evals.add(new EvalSplit(d.name(), i == 0,
                    prompts(prefix + "eval-" + d.name(), draw(d, sizes.evalPrompts(), used, rng))));
        }
        int context = 0;
        int longestTarget = 0;
        List<List<Prompt>> all = new ArrayList<>(List.of(pretraining, idGrpo, oodGrpo));
        evals.forEach(e -> all.add(e.prompts()));
        for (List<Prompt> set : all) {
            for (Prompt p : set) {
                context = Math.max(context, p.length() + p.target().length);
                longestTarget = Math.max(longestTarget, p.target().length);
            }
        }
        return new StudyDataset(axis, oodFraction, V.size(), V.eos(), context, longestTarget, pretraining, idGrpo,
                oodGrpo, evals, new AlchemyOutcomeVerifier(), new AlchemyStepVerifier());
    }

    private static List<Problem> draw(ProblemDistribution d, int count, Set<String> used, SplittableRandom rng) {
        List<Problem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] element = null;
            for (int attempt = 0; attempt < ATTEMPTS && element == null; attempt++) {
                int[] e = new int[d.length()];
                for (int j = 0; j < e.length; j++) {
                    e[j] = rng.nextInt(Alphabet.SIZE);
                }
                if (used.add(Arrays.toString(e))) {
                    element = e;
                }
            }
            if (element == null) {
                throw new IllegalArgumentException("cannot draw " + count + " distinct elements of length "
                        + d.length() + " for '" + d.name() + "' (" + used.size() + " elements already used)");
            }
            out.add(d.draw(element, rng));
        }
        return out;
    }

    private List<Prompt> prompts(String name, List<Problem> problems) {
        List<Prompt> out = new ArrayList<>(problems.size());
        for (int i = 0; i < problems.size(); i++) {
            out.add(problems.get(i).toPrompt(name + "-" + i, config));
        }
        return out;
    }
}
