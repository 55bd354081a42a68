package org.grpo4j.bench.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Group-normalised advantages written as a chain of whole-tensor ND4J ops, the way a port of TRL's
 * {@code rewards.view(-1, G).mean(1)}… would: {@code A = (r − mean_g) / (std_g + ε)}, with the sample (n−1)
 * standard deviation and exactly 0 for a group whose rewards are all equal. What the fused advantages
 * ({@code org.grpo4j.objective.Advantages}) are benchmarked against.
 */
public final class Nd4jAdvantageChain {
    private Nd4jAdvantageChain() {
    }

    /**
     * The advantages of a group-major batch.
     *
     * @param rewards   {@code [N]}, N a multiple of {@code groupSize}
     * @param groupSize G ≥ 2
     * @param epsilon   ε added to the standard deviation
     * @return {@code [N]} advantages, a new array in the rewards' data type
     * @throws IllegalArgumentException if N is not a positive multiple of G or G &lt; 2
     */
    public static INDArray compute(INDArray rewards, int groupSize, double epsilon) {
        long n = rewards.length();
        if (groupSize < 2 || n == 0 || n % groupSize != 0) {
            throw new IllegalArgumentException("batch of " + n + " rewards must be a positive whole number of groups "
                    + "of groupSize " + groupSize + " (≥ 2)");
        }
        INDArray r = rewards.reshape(n / groupSize, groupSize);                   // [B, G]
        INDArray mean = r.mean(true, 1);                                          // [B, 1]
        INDArray std = r.std(true, true, 1);                                      // [B, 1], n − 1
        INDArray varies = r.max(true, 1).neq(r.min(true, 1)).castTo(r.dataType()); // [B, 1] 0 for an equal group
        INDArray a = r.subColumnVector(mean).diviColumnVector(std.addi(epsilon)).muliColumnVector(varies);
        return a.reshape(n);
    }
}
