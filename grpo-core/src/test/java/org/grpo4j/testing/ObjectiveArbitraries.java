package org.grpo4j.testing;

import static net.jqwik.api.Tuple.of;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.grpo4j.GrpoConfig;
import org.grpo4j.PolicyLossParameters;

/**
 * jqwik generators of GRPO configurations and batches, shaped to reach the objective's edge cases: every
 * {@link ConfigVariant} (all option enums × dual clip on/off × β zero/positive), group size 2, all-equal and
 * binary reward groups, ragged and fully masked rows, tokens inside and outside the clip range, and ratios past
 * the dual-clip constant. {@code ObjectiveArbitrariesProperties} shows with jqwik statistics that these cases
 * occur.
 *
 * <p>All generated numbers are rounded to {@code float} (see {@link ObjectiveCase}). Shrinking works on every
 * component: a failing case shrinks towards fewer groups, shorter rows, full masks and zero log-ratios.
 */
public final class ObjectiveArbitraries {

    /** The largest T generated: small enough for a modest suite runtime, large enough for ragged masks. */
    public static final int MAX_T = 12;

    /** The most groups in a generated batch. */
    public static final int MAX_GROUPS = 3;

    private ObjectiveArbitraries() {
    }

    // ------------------------------------------------------------------------------------------ configurations

    /**
     * Half the time one of the 432 classic variants, half the time any of the 2808 (policy losses, masked-row
     * counting and the token-sum aggregation included), uniformly within each, so that the classic options keep
     * their coverage (the dual clip, which only CLIPPED has, above all).
     *
     * @return the variants
     */
    public static Arbitrary<ConfigVariant> variants() {
        return Arbitraries.frequencyOf(of(1, Arbitraries.of(ConfigVariant.classic())),
                of(1, Arbitraries.of(ConfigVariant.all())));
    }

    /**
     * Group size (2 most often), ε's including 0, the GSPO-sized 3e-4/4e-4 and the PPO/DAPO 0.2/0.28,
     * advantage ε including 0, dual-clip margins from tight (0.01, so that the dual clip binds often) to loose (2.5),
     * β from small to 1, length limits from 1 to 256, and {@link #policyLossParameters()}.
     *
     * @return the numbers
     */
    public static Arbitrary<ConfigNumbers> numbers() {
        Arbitrary<Integer> groupSize = Arbitraries.frequency(of(4, 2), of(2, 3), of(2, 4), of(1, 5), of(1, 8));
        Arbitrary<Double> advantageEpsilon = Arbitraries.frequencyOf(
                of(6, Arbitraries.just(1e-4)), of(2, Arbitraries.just(0.0)),
                of(2, Arbitraries.doubles().between(0, 0.5).ofScale(6)));
        Arbitrary<Double> epsilonLow = Arbitraries.frequencyOf(
                of(3, Arbitraries.just(0.2)), of(1, Arbitraries.just(3e-4)), of(1, Arbitraries.just(0.0)),
                of(3, Arbitraries.doubles().between(0, 0.6).ofScale(6)));
        Arbitrary<Double> epsilonHigh = Arbitraries.frequencyOf(
                of(3, Arbitraries.just(0.2)), of(1, Arbitraries.just(0.28)), of(1, Arbitraries.just(4e-4)),
                of(1, Arbitraries.just(0.0)), of(3, Arbitraries.doubles().between(0, 0.6).ofScale(6)));
        Arbitrary<Double> dualMargin = Arbitraries.frequencyOf(
                of(2, Arbitraries.just(0.01)), of(2, Arbitraries.doubles().between(0.01, 0.5).ofScale(6)),
                of(1, Arbitraries.doubles().between(0.5, 2.5).ofScale(6)));
        Arbitrary<Double> beta = Arbitraries.frequencyOf(
                of(2, Arbitraries.just(0.04)), of(3, Arbitraries.doubles().between(0.001, 1.0).ofScale(6)));
        Arbitrary<Integer> maxLength = Arbitraries.frequencyOf(
                of(3, Arbitraries.integers().between(1, MAX_T)), of(2, Arbitraries.integers().between(13, 40)),
                of(1, Arbitraries.just(256)));
        return Combinators.combine(groupSize, advantageEpsilon, epsilonLow, epsilonHigh, dualMargin, beta, maxLength,
                        policyLossParameters())
                .as(ConfigNumbers::new);
    }

    /**
     * The policy-loss parameters: the defaults one time in four; otherwise CISPO caps from 1 (on the ratio of
     * an on-policy token) to 5, SAPO temperatures from 0.2 to 5, VESPO shapes around TRL's, and KL-Cov/Clip-Cov
     * shares large enough (up to 1) that more than one token is selected in a small batch, with Clip-Cov bands
     * around 0 as well as verl's (1, 5).
     *
     * @return the parameters
     */
    public static Arbitrary<PolicyLossParameters> policyLossParameters() {
        Arbitrary<Double> cap = Arbitraries.of(1.0, 1.1, 1.3, 2.0, 5.0);
        Arbitrary<double[]> sapo = Arbitraries.doubles().between(0.2, 5).ofScale(3).list().ofSize(2)
                .map(ObjectiveArbitraries::toArray);
        Arbitrary<double[]> vespo = Arbitraries.doubles().between(0.5, 4).ofScale(3).list().ofSize(4)
                .map(ObjectiveArbitraries::toArray);
        Arbitrary<Double> share = Arbitraries.of(2e-4, 0.05, 0.2, 0.5, 1.0);
        Arbitrary<Double> kappa = Arbitraries.of(0.1, 1.0, 3.0);
        Arbitrary<double[]> band = Arbitraries.of(new double[] {1, 5}, new double[] {-1, 1},
                new double[] {-0.5, 0.5}, new double[] {0, 3});
        Arbitrary<PolicyLossParameters> drawn = Combinators.combine(cap, sapo, vespo, share, kappa, share, band)
                .as((c, s, v, kr, kc, cr, b) -> new PolicyLossParameters(c, s[0], s[1], v[0], v[1], v[2], v[3],
                        kr, kc, cr, b[0], b[1]));
        return Arbitraries.frequencyOf(of(1, Arbitraries.just(PolicyLossParameters.defaults())), of(3, drawn));
    }

    /**
     * Any valid configuration: a uniformly chosen {@link ConfigVariant} with {@link #numbers()}.
     *
     * @return configurations
     */
    public static Arbitrary<GrpoConfig> configs() {
        return Combinators.combine(variants(), numbers()).as(ConfigVariant::config);
    }

    /**
     * Configurations restricted to the given variants (for a property about, say, β = 0 token-level objectives).
     *
     * @param allowed the variants to draw from
     * @return configurations
     */
    public static Arbitrary<GrpoConfig> configs(List<ConfigVariant> allowed) {
        return Combinators.combine(Arbitraries.of(allowed), numbers()).as(ConfigVariant::config);
    }

    // ----------------------------------------------------------------------------------------------------- batches

    /**
     * Any configuration with a batch for it.
     *
     * @return cases
     */
    public static Arbitrary<ObjectiveCase> cases() {
        return cases(configs());
    }

    /**
     * Batches for configurations drawn from {@code configs}: 1 to {@link #MAX_GROUPS} groups, T from 1 to
     * {@code min(MAX_T, maxCompletionLength)}, logpOld absent one time in five, logpRef absent half the time when
     * β = 0, precomputed advantages one time in six.
     *
     * @param configs the configurations
     * @return cases
     */
    public static Arbitrary<ObjectiveCase> cases(Arbitrary<GrpoConfig> configs) {
        return configs.flatMap(c -> {
            int maxT = Math.min(MAX_T, c.maxCompletionLength());
            return Combinators.combine(Arbitraries.integers().between(1, MAX_GROUPS),
                            Arbitraries.integers().between(1, maxT))
                    .flatAs((groups, t) -> batch(c, groups, t, true));
        });
    }

    /**
     * Batches with every array present (logpOld and logpRef given, advantages derived), for properties that
     * perturb them (finite differences) or switch the configuration to one with β &gt; 0.
     *
     * @param configs the configurations
     * @return cases
     */
    public static Arbitrary<ObjectiveCase> fullCases(Arbitrary<GrpoConfig> configs) {
        return configs.flatMap(c -> {
            int maxT = Math.min(MAX_T, c.maxCompletionLength());
            return Combinators.combine(Arbitraries.integers().between(1, MAX_GROUPS),
                            Arbitraries.integers().between(1, maxT))
                    .flatAs((groups, t) -> batch(c, groups, t, false));
        });
    }

    /**
     * A batch of the given size for a configuration.
     *
     * @param c              the configuration
     * @param groups         B, the number of groups
     * @param t              T ≤ {@code c.maxCompletionLength()}
     * @param optionalArrays whether logpOld, logpRef (when β = 0) and advantages may be absent/precomputed
     * @return cases
     */
    public static Arbitrary<ObjectiveCase> batch(GrpoConfig c, int groups, int t, boolean optionalArrays) {
        int g = c.groupSize();
        int n = groups * g;
        Arbitrary<double[]> rewards = groupRewards(g).list().ofSize(groups).map(ObjectiveArbitraries::concat);
        Arbitrary<List<Row>> rows = rows(t).list().ofSize(n);
        Arbitrary<Boolean> oldAbsent = optionalArrays
                ? Arbitraries.frequency(of(1, true), of(4, false)) : Arbitraries.just(false);
        Arbitrary<Boolean> refAbsent = optionalArrays && c.beta() == 0
                ? Arbitraries.of(true, false) : Arbitraries.just(false);
        Arbitrary<double[]> advantages = optionalArrays
                ? Arbitraries.frequencyOf(of(5, Arbitraries.just((double[]) null)),
                        of(1, Arbitraries.doubles().between(-3, 3).ofScale(6).list().ofSize(n)
                                .map(ObjectiveArbitraries::toArray)))
                : Arbitraries.just((double[]) null);
        // jqwik mixes edge cases (the first value of every frequency) into arbitraries created inside flatMap far
        // more often than into top-level ones; the frequencies above already place the edge cases
        return Combinators.combine(rewards, rows, oldAbsent, refAbsent, advantages)
                .as((r, rs, noOld, noRef, adv) -> assemble(c, r, rs, noOld, noRef, adv))
                .withoutEdgeCases();
    }

    /**
     * The rewards of one group: binary {0, 1} (often all equal for small G), one value repeated (all equal), a
     * few discrete values, or continuous values in [−5, 5].
     *
     * @param g the group size
     * @return G rewards
     */
    public static Arbitrary<double[]> groupRewards(int g) {
        Arbitrary<double[]> binary = Arbitraries.of(0.0, 1.0).list().ofSize(g).map(ObjectiveArbitraries::toArray);
        Arbitrary<double[]> equal = Arbitraries.doubles().between(-3, 3).ofScale(2).map(v -> {
            double[] r = new double[g];
            java.util.Arrays.fill(r, v);
            return r;
        });
        Arbitrary<double[]> discrete = Arbitraries.of(-1.0, 0.0, 0.5, 1.0, 2.0).list().ofSize(g)
                .map(ObjectiveArbitraries::toArray);
        Arbitrary<double[]> continuous = Arbitraries.doubles().between(-5, 5).ofScale(3).list().ofSize(g)
                .map(ObjectiveArbitraries::toArray);
        return Arbitraries.frequencyOf(of(3, binary), of(2, equal), of(2, discrete), of(3, continuous))
                .map(Matrices::roundToFloat);
    }

    /**
     * A mask row of length T: all ones, a prefix of random length (ragged; possibly empty), random holes, or all
     * zeros (a fully masked row).
     *
     * @param t T
     * @return T values of 0 and 1
     */
    public static Arbitrary<double[]> maskRows(int t) {
        Arbitrary<double[]> full = Arbitraries.just(0).map(x -> filled(t, t));
        Arbitrary<double[]> prefix = Arbitraries.integers().between(0, t).map(l -> filled(t, l));
        Arbitrary<double[]> holes = Arbitraries.frequency(of(7, 1.0), of(3, 0.0)).list().ofSize(t)
                .map(ObjectiveArbitraries::toArray);
        Arbitrary<double[]> empty = Arbitraries.just(0).map(x -> filled(t, 0));
        return Arbitraries.frequencyOf(of(3, full), of(4, prefix), of(2, holes), of(1, empty));
    }

    /**
     * A log-ratio {@code logpNew − logpOld} of one token: exactly 0, tiny (inside any clip range but GSPO's),
     * moderate (around PPO's 0.2), or large enough to pass a dual-clip constant.
     *
     * @return log-ratios
     */
    public static Arbitrary<Double> logRatios() {
        return Arbitraries.frequencyOf(of(2, Arbitraries.just(0.0)),
                of(3, Arbitraries.doubles().between(-0.05, 0.05).ofScale(6)),
                of(3, Arbitraries.doubles().between(-0.4, 0.4).ofScale(6)),
                of(2, Arbitraries.doubles().between(-1.6, 1.6).ofScale(6)));
    }

    /** One generated row before assembly. */
    private record Row(double[] logpNew, double[] logRatio, double[] refOffset, double[] mask) {
    }

    private static Arbitrary<Row> rows(int t) {
        Arbitrary<double[]> logp = Arbitraries.doubles().between(-8, -0.001).ofScale(6).list().ofSize(t)
                .map(ObjectiveArbitraries::toArray);
        Arbitrary<double[]> ratios = logRatios().list().ofSize(t).map(ObjectiveArbitraries::toArray);
        Arbitrary<double[]> ref = Arbitraries.frequencyOf(of(1, Arbitraries.just(0.0)),
                        of(2, Arbitraries.doubles().between(-1e-3, 1e-3).ofScale(9)),
                        of(4, Arbitraries.doubles().between(-1, 1).ofScale(6)))
                .list().ofSize(t).map(ObjectiveArbitraries::toArray);
        return Combinators.combine(logp, ratios, ref, maskRows(t)).as(Row::new);
    }

    private static ObjectiveCase assemble(GrpoConfig c, double[] rewards, List<Row> rows, boolean noOld,
                                          boolean noRef, double[] advantages) {
        int n = rows.size();
        double[][] logpNew = new double[n][];
        double[][] logpOld = new double[n][];
        double[][] logpRef = new double[n][];
        double[][] mask = new double[n][];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            int t = r.logpNew().length;
            logpNew[i] = Matrices.roundToFloat(r.logpNew());
            logpOld[i] = new double[t];
            logpRef[i] = new double[t];
            for (int j = 0; j < t; j++) {
                logpOld[i][j] = (float) (logpNew[i][j] - r.logRatio()[j]);
                logpRef[i][j] = (float) (logpNew[i][j] + r.refOffset()[j]);
            }
            mask[i] = r.mask().clone();
        }
        return new ObjectiveCase(c, Matrices.roundToFloat(rewards), Matrices.roundToFloat(advantages), logpNew,
                noOld ? null : logpOld, noRef ? null : logpRef, mask);
    }

    private static double[] filled(int t, int ones) {
        double[] m = new double[t];
        java.util.Arrays.fill(m, 0, ones, 1.0);
        return m;
    }

    private static double[] toArray(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    private static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] r = new double[n];
        int k = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, r, k, p.length);
            k += p.length;
        }
        return r;
    }
}
