package org.grpo4j.testing;

import static net.jqwik.api.Tuple.of;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.grpo4j.GrpoConfig;

/**
 * jqwik generators for GRPO's theory on tabular policies: base correct masses Q with the edge cases 0, 1, near 0 and
 * near 1; base distributions with outputs outside the support (often correct ones, which the base model cannot
 * reach); binary and general reward vectors; starting policies equal to or perturbed away from the reference;
 * groups of sampled outputs with all-equal groups; and configurations for the theory (every
 * {@link ConfigVariant}, group size 2 most often). {@code TheoryArbitrariesProperties} shows with jqwik statistics
 * that the edge cases occur.
 */
public final class TheoryArbitraries {

    /** The most outputs per prompt generated: the exact update enumerates C(G + K − 1, G) groups per prompt. */
    public static final int MAX_OUTPUTS = 6;

    private TheoryArbitraries() {
    }

    // ---------------------------------------------------------------------------------------------- masses and rows

    /**
     * A base correct mass Q: exactly 0 (no overlap with the correct outputs), exactly 1, near 0 (1e-6 to 1e-2,
     * log-uniform), near 1 (1 − Q in 1e-6 to 1e-2), or in [0.01, 0.99].
     *
     * @return masses in [0, 1]
     */
    public static Arbitrary<Double> correctMasses() {
        Arbitrary<Double> tiny = Arbitraries.doubles().between(-6, -2).map(e -> Math.pow(10, e));
        return Arbitraries.frequencyOf(of(1, Arbitraries.just(0.0)), of(1, Arbitraries.just(1.0)),
                of(2, tiny), of(2, tiny.map(t -> 1 - t)), of(4, Arbitraries.doubles().between(0.01, 0.99)));
    }

    /**
     * Base correct masses concentrated on the edges, for properties with few tries: 0 or near 0 three times in
     * seven, 1 or near 1 three times in seven, otherwise in [0.01, 0.99].
     *
     * @return masses in [0, 1]
     */
    public static Arbitrary<Double> edgeCorrectMasses() {
        Arbitrary<Double> tiny = Arbitraries.doubles().between(-6, -2).map(e -> Math.pow(10, e));
        return Arbitraries.frequencyOf(of(1, Arbitraries.just(0.0)), of(1, Arbitraries.just(1.0)),
                of(2, tiny), of(2, tiny.map(t -> 1 - t)), of(1, Arbitraries.doubles().between(0.01, 0.99)));
    }

    /**
     * Base correct masses strictly inside (0, 1) and away from the edges, for properties that need the dynamics to
     * converge in a few hundred steps.
     *
     * @return masses in [0.02, 0.98]
     */
    public static Arbitrary<Double> interiorCorrectMasses() {
        return Arbitraries.doubles().between(0.02, 0.98);
    }

    /**
     * One prompt's base distribution over K outputs with a binary reward and correct mass Q: some correct and some
     * incorrect outputs in the support, and up to K − 2 outputs outside it (reward 0 or 1), in random positions.
     *
     * @param k      K ≥ 2
     * @param masses the Q to use
     * @return {@code {probabilities, rewards}}, each of length K
     */
    public static Arbitrary<double[][]> binaryRows(int k, Arbitrary<Double> masses) {
        return Combinators.combine(masses, Arbitraries.integers().between(0, k - 1),
                        Arbitraries.integers().between(0, 1_000), weights(k),
                        Arbitraries.of(0.0, 1.0, 1.0).list().ofSize(k), permutations(k))
                .as((q, unsupported, split, w, outside, perm) -> binaryRow(k, q, unsupported, split, w, outside, perm));
    }

    /**
     * One prompt's base distribution over K outputs, each outside the support with probability 1/4 (at least one
     * inside), with rewards that are binary, three-valued {0, ½, 1}, continuous in [−2, 2] or all equal.
     *
     * @param k K ≥ 1
     * @return {@code {probabilities, rewards}}, each of length K
     */
    public static Arbitrary<double[][]> generalRows(int k) {
        Arbitrary<double[]> probabilities = Combinators.combine(weights(k),
                        Arbitraries.frequency(of(3, true), of(1, false)).list().ofSize(k), Arbitraries.integers()
                                .between(0, k - 1))
                .as((w, inside, keep) -> {
                    double[] p = new double[k];
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        if (inside.get(j) || j == keep) {
                            p[j] = w.get(j);
                            sum += p[j];
                        }
                    }
                    for (int j = 0; j < k; j++) {
                        p[j] /= sum;
                    }
                    return p;
                });
        return Combinators.combine(probabilities, rewardVectors(k)).as((p, r) -> new double[][] {p, r});
    }

    /**
     * A reward per output: binary, three-valued {0, ½, 1}, continuous in [−2, 2] (three decimals) or one value
     * repeated.
     *
     * @param k K
     * @return K finite rewards
     */
    public static Arbitrary<double[]> rewardVectors(int k) {
        Arbitrary<double[]> binary = Arbitraries.of(0.0, 1.0).list().ofSize(k).map(TheoryArbitraries::toArray);
        Arbitrary<double[]> three = Arbitraries.of(0.0, 0.5, 1.0).list().ofSize(k).map(TheoryArbitraries::toArray);
        Arbitrary<double[]> continuous = Arbitraries.doubles().between(-2, 2).ofScale(3).list().ofSize(k)
                .map(TheoryArbitraries::toArray);
        Arbitrary<double[]> constant = Arbitraries.doubles().between(-2, 2).ofScale(2).map(v -> filled(k, v));
        return Arbitraries.frequencyOf(of(4, binary), of(2, three), of(3, continuous), of(1, constant));
    }

    /**
     * A starting policy for a base row: the base row itself (a third of the time) or its logits on the support
     * moved by up to ±0.3 or ±1.5; zero stays zero.
     *
     * @param reference the base row
     * @return probabilities with the same support
     */
    public static Arbitrary<double[]> perturbed(double[] reference) {
        int k = reference.length;
        Arbitrary<Double> size = Arbitraries.frequency(of(1, 0.0), of(1, 0.3), of(1, 1.5));
        return Combinators.combine(size, Arbitraries.doubles().between(-1, 1).list().ofSize(k)).as((s, noise) -> {
            if (s == 0) {
                return reference.clone();
            }
            double[] logits = new double[k];
            for (int j = 0; j < k; j++) {
                logits[j] = reference[j] > 0 ? Math.log(reference[j]) + s * noise.get(j) : Double.NEGATIVE_INFINITY;
            }
            return Matrices.softmax(logits);
        });
    }

    // ---------------------------------------------------------------------------------------------------- cases

    /**
     * Cases with binary rewards: P prompts with K outputs each, the configuration drawn from {@code configs}.
     *
     * @param configs    the configurations
     * @param maxPrompts the most prompts, ≥ 1
     * @param maxOutputs the most outputs, in [2, {@link #MAX_OUTPUTS}]
     * @param masses     the base correct masses
     * @param perturb    whether the starting policy may differ from the reference
     * @return cases
     */
    public static Arbitrary<TabularCase> binaryCases(Arbitrary<GrpoConfig> configs, int maxPrompts, int maxOutputs,
                                                     Arbitrary<Double> masses, boolean perturb) {
        return cases(configs, maxPrompts, 2, maxOutputs, k -> binaryRows(k, masses), perturb);
    }

    /**
     * Cases with any rewards ({@link #generalRows}).
     *
     * @param configs    the configurations
     * @param maxPrompts the most prompts, ≥ 1
     * @param minOutputs the fewest outputs, ≥ 1
     * @param maxOutputs the most outputs, in [minOutputs, {@link #MAX_OUTPUTS}]
     * @param perturb    whether the starting policy may differ from the reference
     * @return cases
     */
    public static Arbitrary<TabularCase> generalCases(Arbitrary<GrpoConfig> configs, int maxPrompts, int minOutputs,
                                                      int maxOutputs, boolean perturb) {
        return cases(configs, maxPrompts, minOutputs, maxOutputs, TheoryArbitraries::generalRows, perturb);
    }

    /**
     * Groups for a case: for each prompt, G outputs from its base support, drawn uniformly (so rare outputs are
     * sampled too), all one output (an all-equal group), or from two outputs only (so that several supported
     * outputs stay unsampled).
     *
     * @param c the case
     * @return {@code [P][G]} outputs
     */
    public static Arbitrary<int[][]> groups(TabularCase c) {
        int g = c.config().groupSize();
        List<Arbitrary<int[]>> rows = new ArrayList<>();
        for (int x = 0; x < c.prompts(); x++) {
            int row = x;
            int[] support = IntStream.range(0, c.outputs()).filter(y -> c.inSupport(row, y)).toArray();
            Arbitrary<Integer> any = Arbitraries.of(box(support));
            Arbitrary<int[]> uniform = any.list().ofSize(g).map(TheoryArbitraries::toIntArray);
            Arbitrary<int[]> same = any.map(y -> IntStream.generate(() -> y).limit(g).toArray());
            Arbitrary<int[]> two = Combinators.combine(any, any, Arbitraries.of(0, 1).list().ofSize(g))
                    .as((a, b, pick) -> pick.stream().mapToInt(i -> i == 0 ? a : b).toArray());
            rows.add(Arbitraries.frequencyOf(of(2, uniform), of(1, same), of(2, two)));
        }
        return Combinators.combine(rows).as(list -> list.toArray(new int[0][]));
    }

    // -------------------------------------------------------------------------------------------- configurations

    /**
     * Configurations for the theory: the given variants with group size 2 to {@code maxGroupSize} (2 most often),
     * β in {@code [betaMin, betaMax]} when the variant has a KL term, advantage ε of 1e-4 (TRL), 0 or up to 0.5, and
     * clip and length settings from {@link ObjectiveArbitraries#numbers()} (they do not matter on-policy with
     * one-token completions, except {@code maxCompletionLength} for {@code CONSTANT_NORMALIZER}).
     *
     * @param variants     the allowed variants
     * @param maxGroupSize the largest G, ≥ 2
     * @param betaMin      the smallest positive β
     * @param betaMax      the largest β
     * @return configurations
     */
    public static Arbitrary<GrpoConfig> configs(List<ConfigVariant> variants, int maxGroupSize, double betaMin,
                                                double betaMax) {
        Arbitrary<Integer> groupSize = Arbitraries.frequencyOf(of(3, Arbitraries.just(2)),
                of(4, Arbitraries.integers().between(2, maxGroupSize)));
        Arbitrary<Double> epsilon = Arbitraries.frequencyOf(of(3, Arbitraries.just(1e-4)),
                of(1, Arbitraries.just(0.0)), of(1, Arbitraries.doubles().between(0, 0.5).ofScale(6)));
        Arbitrary<Double> beta = Arbitraries.doubles().between(betaMin, betaMax).ofScale(6);
        Arbitrary<ConfigNumbers> numbers = Combinators.combine(groupSize, epsilon, beta, ObjectiveArbitraries.numbers())
                .as((g, e, b, n) -> new ConfigNumbers(g, e, n.epsilonLow(), n.epsilonHigh(), n.dualClipMargin(), b,
                        n.maxCompletionLength()));
        return Combinators.combine(Arbitraries.of(variants), numbers).as(ConfigVariant::config);
    }

    // ------------------------------------------------------------------------------------------------- internals

    private static Arbitrary<TabularCase> cases(Arbitrary<GrpoConfig> configs, int maxPrompts, int minOutputs,
                                                int maxOutputs, IntFunction<Arbitrary<double[][]>> rows,
                                                boolean perturb) {
        Arbitrary<Integer> prompts = Arbitraries.integers().between(1, maxPrompts);
        Arbitrary<Integer> outputs = Arbitraries.integers().between(minOutputs, maxOutputs);
        return Combinators.combine(configs, prompts, outputs).flatAs((c, p, k) -> rows.apply(k).list().ofSize(p)
                .flatMap(list -> {
                    double[][] reference = new double[p][];
                    double[][] rewards = new double[p][];
                    for (int x = 0; x < p; x++) {
                        reference[x] = list.get(x)[0];
                        rewards[x] = list.get(x)[1];
                    }
                    if (!perturb) {
                        return Arbitraries.just(new TabularCase(c, reference, rewards, deepCopy(reference)));
                    }
                    List<Arbitrary<double[]>> starts = new ArrayList<>();
                    for (double[] row : reference) {
                        starts.add(perturbed(row));
                    }
                    return Combinators.combine(starts).as(s -> new TabularCase(c, reference, rewards,
                            s.toArray(new double[0][])));
                }))
                // jqwik mixes edge cases into arbitraries built inside flatMap far more often than into top-level
                // ones (half the cases had Q = 0); the frequencies above already place the edge cases
                .withoutEdgeCases();
    }

    private static double[][] binaryRow(int k, double q, int unsupported, int split, List<Double> w,
                                        List<Double> outside, List<Integer> perm) {
        int minSupported = q > 0 && q < 1 ? 2 : 1;
        int nz = Math.min(unsupported, k - minSupported);
        int s = k - nz;
        int nc = q == 0 ? 0 : q == 1 ? s : 1 + split % (s - 1);
        double correctWeight = 0;
        double wrongWeight = 0;
        for (int i = 0; i < s; i++) {
            if (i < nc) {
                correctWeight += w.get(i);
            } else {
                wrongWeight += w.get(i);
            }
        }
        double[] p = new double[k];
        double[] r = new double[k];
        for (int i = 0; i < k; i++) {
            int j = perm.get(i);
            if (i < nc) {
                p[j] = q * w.get(i) / correctWeight;
                r[j] = 1;
            } else if (i < s) {
                p[j] = (1 - q) * w.get(i) / wrongWeight;
                r[j] = 0;
            } else {
                r[j] = outside.get(i);
            }
        }
        return new double[][] {p, r};
    }

    private static Arbitrary<List<Double>> weights(int k) {
        return Arbitraries.doubles().between(0.05, 1).list().ofSize(k);
    }

    private static Arbitrary<List<Integer>> permutations(int k) {
        List<Integer> identity = IntStream.range(0, k).boxed().toList();
        return Arbitraries.shuffle(identity);
    }

    private static Integer[] box(int[] a) {
        return IntStream.of(a).boxed().toArray(Integer[]::new);
    }

    private static int[] toIntArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] toArray(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    private static double[] filled(int k, double v) {
        double[] a = new double[k];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static double[][] deepCopy(double[][] t) {
        double[][] c = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
            c[i] = t[i].clone();
        }
        return c;
    }
}
