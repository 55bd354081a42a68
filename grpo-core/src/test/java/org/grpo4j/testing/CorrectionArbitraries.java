package org.grpo4j.testing;

import static net.jqwik.api.Tuple.of;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.grpo4j.GrpoConfig;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMode;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;

/**
 * Generators of the per-token corrections and of {@link CorrectedCase}s: every mode × level, caps below and above
 * the typical weight, TRL's (0) and verl's ({@code 1/upper}) lower bounds, the off-policy mask off or at several
 * δ, the KL correction on or off, and entropy quantiles with ties among the entropies.
 */
public final class CorrectionArbitraries {
    private CorrectionArbitraries() {
    }

    /** @return any rollout correction, OFF included */
    public static Arbitrary<RolloutCorrection> corrections() {
        Arbitrary<CorrectionMode> modes = Arbitraries.of(CorrectionMode.class);
        Arbitrary<CorrectionLevel> levels = Arbitraries.of(CorrectionLevel.class);
        Arbitrary<Double> uppers = Arbitraries.of(0.5, 1.0, 1.25, 2.0, 3.0, 10.0);
        Arbitrary<Boolean> verlLower = Arbitraries.of(true, false);
        Arbitrary<Double> deltas = Arbitraries.frequency(of(2, Double.POSITIVE_INFINITY), of(1, 0.0), of(1, 0.05),
                of(1, 0.5));
        Arbitrary<Boolean> kl = Arbitraries.of(true, false);
        return Combinators.combine(modes, levels, uppers, verlLower, deltas, kl).as((m, l, u, vl, d, k) ->
                new RolloutCorrection(m, l, u, vl ? Math.min(u, 1 / u) : 0, d, k));
    }

    /**
     * @return no entropy mask one time in three, else q in {0.2, 0.5, 0.8}; combined with no bonus half the time,
     *         else a coefficient in {1e-3, 0.05, 1}
     */
    public static Arbitrary<EntropyControl> entropyControls() {
        Arbitrary<Double> quantiles = Arbitraries.frequencyOf(of(1, Arbitraries.just(1.0)),
                of(2, Arbitraries.of(0.2, 0.5, 0.8)));
        Arbitrary<Double> coefficients = Arbitraries.frequencyOf(of(3, Arbitraries.just(0.0)),
                of(3, Arbitraries.of(1e-3, 0.05, 1.0)));
        return Combinators.combine(quantiles, coefficients).as(EntropyControl::new);
    }

    /**
     * Cases of {@link ObjectiveArbitraries#cases()} or {@code fullCases} with a correction and an entropy control,
     * sampling log-probabilities (absent one time in six) near the old policy's, and entropies from a small set
     * (so that ties occur).
     *
     * @param full whether every base array is present (for finite differences)
     * @return cases
     */
    public static Arbitrary<CorrectedCase> cases(boolean full) {
        Arbitrary<ObjectiveCase> bases = full ? ObjectiveArbitraries.fullCases(ObjectiveArbitraries.configs())
                : ObjectiveArbitraries.cases();
        return Combinators.combine(bases, corrections(), entropyControls(), Arbitraries.longs(),
                        Arbitraries.frequency(of(1, true), of(5, false)))
                .as((b, rc, ec, seed, noSampling) -> assemble(b, rc, ec, seed, noSampling));
    }

    private static CorrectedCase assemble(ObjectiveCase b, RolloutCorrection rc, EntropyControl ec, long seed,
                                          boolean noSampling) {
        GrpoConfig c = b.config().toBuilder().rolloutCorrection(rc).entropyControl(ec).build();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        int n = b.n();
        int t = b.t();
        double[][] old = b.logpOld() == null ? b.logpNew() : b.logpOld();
        double[][] sampling = new double[n][t];
        double[][] entropies = new double[n][t];
        double[] levels = {0, 0.25, 0.5, 1, 1.5, 2.75};
        for (int i = 0; i < n; i++) {
            double rowShift = rng.nextInt(4) == 0 ? rng.nextDouble(-0.8, 0.8) : 0;
            for (int j = 0; j < t; j++) {
                double d = switch (rng.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> rng.nextDouble(-0.05, 0.05);
                    case 2 -> rng.nextDouble(-0.5, 0.5);
                    default -> rng.nextDouble(-1.5, 1.5);
                };
                sampling[i][j] = (float) (old[i][j] - d - rowShift);
                entropies[i][j] = rng.nextInt(3) == 0 ? levels[rng.nextInt(levels.length)]
                        : (float) rng.nextDouble(0, 3);
            }
        }
        return new CorrectedCase(b.withConfig(c), noSampling ? null : sampling, entropies);
    }
}
