package org.grpo4j.testing;

import static net.jqwik.api.Tuple.of;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.grpo4j.GrpoConfig;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Generators of finite but extreme objective inputs, for the "Finite results" guarantee of
 * {@code docs/objective.md}: log-ratios ℓ − ℓ_old and ℓ_ref − ℓ of ±89 (FLOAT's {@code exp} limit), ±100, ±1e3,
 * ±1e30 and ±3e38 (whose FLOAT difference overflows), log-probabilities up to ±3e38, β up to FLOAT's admitted
 * limit, and advantages from ±1e-30 to ±1e29. Every number is a FLOAT (so FLOAT and DOUBLE inputs hold the same
 * values); {@link FiniteResultsLaws} shows with jqwik statistics that each extreme occurs.
 */
public final class ExtremeArbitraries {

    /** The largest β and |A| generated: just under FLOAT's limit, {@code Float.MAX_VALUE / (4 e^20)}. */
    public static final double LARGEST = 1.7e29;

    /** The largest generated magnitude, 3e38 as a FLOAT. */
    private static final double BIGGEST = (float) 3e38;

    private ExtremeArbitraries() {
    }

    /**
     * Any variant ({@link ObjectiveArbitraries#variants()}) with numbers whose β ranges over 0.04, 1, 1e10, 1e25 and {@link #LARGEST}.
     *
     * @return configurations
     */
    public static Arbitrary<GrpoConfig> configs() {
        Arbitrary<Double> beta = Arbitraries.of(0.04, 1.0, 1e10, 1e25, LARGEST);
        Arbitrary<ConfigNumbers> numbers = Combinators.combine(ObjectiveArbitraries.numbers(), beta)
                .as((n, b) -> new ConfigNumbers(n.groupSize(), n.advantageEpsilon(), n.epsilonLow(),
                        n.epsilonHigh(), n.dualClipMargin(), b, n.maxCompletionLength()));
        return Combinators.combine(ObjectiveArbitraries.variants(), numbers).as(ConfigVariant::config);
    }

    /**
     * A log-ratio: moderate (|u| ≤ 1.6), just past the clamp (20.5 to 30 in size), or extreme.
     *
     * @return log-ratios, all FLOAT values
     */
    public static Arbitrary<Double> logRatios() {
        Arbitrary<Double> extreme = Arbitraries.of(89.0, -89.0, 100.0, -100.0, 1e3, -1e3, 1e30, -1e30, 3e38, -3e38);
        Arbitrary<Double> pastClamp = Arbitraries.doubles().between(20.5, 30).ofScale(3)
                .flatMap(v -> Arbitraries.of(v, -v));
        return Arbitraries.frequencyOf(of(3, ObjectiveArbitraries.logRatios()), of(1, pastClamp), of(3, extreme))
                .map(v -> (double) (float) (double) v);
    }

    /**
     * A log-probability: usual ([−8, 0]) or extreme (±89 to ±3e38).
     *
     * @return log-probabilities, all FLOAT values
     */
    public static Arbitrary<Double> logProbabilities() {
        return Arbitraries.frequencyOf(of(4, Arbitraries.doubles().between(-8, 0).ofScale(4)),
                        of(1, Arbitraries.of(-89.0, -1e3, -1e30, -3e38, 1e30, 3e38)))
                .map(v -> (double) (float) (double) v);
    }

    /**
     * Precomputed advantages of a batch of N, or null (derived from the rewards) half the time.
     *
     * @param n N
     * @return advantages
     */
    public static Arbitrary<double[]> advantages(int n) {
        Arbitrary<Double> a = Arbitraries.frequencyOf(of(3, Arbitraries.doubles().between(-3, 3).ofScale(4)),
                of(1, Arbitraries.of(LARGEST, -LARGEST, 1e20, -1e20, 1e-30, -1e-30, 0.0)));
        return Arbitraries.frequencyOf(of(1, Arbitraries.just((double[]) null)),
                of(1, a.list().ofSize(n).map(l -> Matrices.roundToFloat(l.stream().mapToDouble(x -> x).toArray()))));
    }

    /**
     * A batch of 1 or 2 groups and T from 1 to 6 for an extreme configuration, every array present when β &gt; 0.
     *
     * @return cases
     */
    public static Arbitrary<ObjectiveCase> cases() {
        return configs().flatMap(c -> Combinators.combine(Arbitraries.integers().between(1, 2),
                        Arbitraries.integers().between(1, Math.min(6, c.maxCompletionLength())))
                .flatAs((groups, t) -> batch(c, groups, t)));
    }

    private static Arbitrary<ObjectiveCase> batch(GrpoConfig c, int groups, int t) {
        int n = groups * c.groupSize();
        Arbitrary<double[]> rewards = ObjectiveArbitraries.groupRewards(c.groupSize()).list().ofSize(groups)
                .map(ExtremeArbitraries::concat);
        Arbitrary<double[][]> logp = matrix(logProbabilities(), n, t);
        Arbitrary<double[][]> oldRatio = matrix(logRatios(), n, t);
        Arbitrary<double[][]> refRatio = matrix(logRatios(), n, t);
        Arbitrary<double[][]> mask = ObjectiveArbitraries.maskRows(t).list().ofSize(n)
                .map(l -> l.toArray(new double[0][]));
        Arbitrary<Boolean> noOld = Arbitraries.frequency(of(1, true), of(5, false));
        return Combinators.combine(rewards, advantages(n), logp, oldRatio, refRatio, mask, noOld)
                .as((r, a, lp, du, dr, m, absent) -> {
                    double[][] ln = Matrices.deepCopy(lp);
                    double[][] lo = new double[n][t];
                    double[][] lr = new double[n][t];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < t; j++) {
                            // a log-ratio of ±3e38 is made as ℓ = ±3e38, the other ∓3e38: a difference of
                            // ±6e38, which overflows FLOAT although both numbers are finite FLOATs
                            if (Math.abs(du[i][j]) == BIGGEST) {
                                ln[i][j] = du[i][j];
                            } else if (Math.abs(dr[i][j]) == BIGGEST) {
                                ln[i][j] = -dr[i][j];
                            }
                            lo[i][j] = Math.abs(du[i][j]) == BIGGEST ? -du[i][j] : finiteFloat(ln[i][j] - du[i][j]);
                            lr[i][j] = Math.abs(dr[i][j]) == BIGGEST && Math.abs(du[i][j]) != BIGGEST ? dr[i][j]
                                    : finiteFloat(ln[i][j] + dr[i][j]);
                        }
                    }
                    return new ObjectiveCase(c, r, a, ln, absent ? null : lo, lr, m);
                }).withoutEdgeCases();
    }

    /**
     * The data type of a try, FLOAT or DOUBLE.
     *
     * @return data types
     */
    public static Arbitrary<DataType> dataTypes() {
        return Arbitraries.of(DataType.FLOAT, DataType.DOUBLE);
    }

    private static double finiteFloat(double x) {
        float f = (float) x;
        return Float.isInfinite(f) ? Math.copySign(Float.MAX_VALUE, f) : f;
    }

    private static Arbitrary<double[][]> matrix(Arbitrary<Double> entries, int n, int t) {
        return entries.list().ofSize(t).map(l -> l.stream().mapToDouble(x -> x).toArray()).list().ofSize(n)
                .map(l -> l.toArray(new double[0][]));
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
