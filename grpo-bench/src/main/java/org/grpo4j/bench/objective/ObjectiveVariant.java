package org.grpo4j.bench.objective;

import org.grpo4j.GrpoConfig;

/**
 * The published GRPO variants as {@link GrpoConfig} presets, so a benchmark sweeps them as an enum {@code @Param}.
 */
public enum ObjectiveVariant {
    /** {@link GrpoConfig#grpo()}: token ratios, k3 KL with β = 0.04, sequence-mean of token means. */
    GRPO,
    /** {@link GrpoConfig#gspo()}: sequence-level ratios, β = 0. */
    GSPO,
    /** {@link GrpoConfig#dapo()}: clip-higher, token-mean aggregation, β = 0. */
    DAPO,
    /** {@link GrpoConfig#drGrpo()}: no std scaling, constant normaliser, β = 0. */
    DR_GRPO;

    /**
     * The preset with {@code maxCompletionLength} set, so that batches up to that many tokens are accepted.
     *
     * @param maxCompletionLength the largest T to accept; ≥ 1
     * @return the configuration
     * @throws IllegalArgumentException if {@code maxCompletionLength} is less than 1
     */
    public GrpoConfig config(int maxCompletionLength) {
        GrpoConfig preset = switch (this) {
            case GRPO -> GrpoConfig.grpo();
            case GSPO -> GrpoConfig.gspo();
            case DAPO -> GrpoConfig.dapo();
            case DR_GRPO -> GrpoConfig.drGrpo();
        };
        return preset.toBuilder().maxCompletionLength(maxCompletionLength).build();
    }
}
