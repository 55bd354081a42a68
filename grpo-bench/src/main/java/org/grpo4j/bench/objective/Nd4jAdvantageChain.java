package org.grpo4j.bench.objective;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Group-normalised advantages written as a chain of whole-tensor ND4J ops, the way a port of TRL's
 * {@code rewards.view(-1, G).mean(1)}… would: {@code A = (r − mean_g) / (std_g + ε)}, with the sample (n−1)
 * standard deviation and exactly 0 for a group whose rewards are all equal. What the fused advantages
 * ({@code org.grpo4j.objective.Advantages}) are benchmarked against.
 *
 * <p>Like the library it works in DOUBLE whatever the rewards' type (a FLOAT mean of rewards a few ulps apart is
 * off by a sizeable fraction of their spread) and divides each group by its largest magnitude before taking
 * moments, so that neither {@code Σ(r − r̄)²} overflows for rewards near 1e160 nor underflows for rewards near
 * 1e-170; ε is divided by the same factor.
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
        INDArray r = rewards.castTo(DataType.DOUBLE).reshape(n / groupSize, groupSize); // [B, G]
        INDArray varies = r.max(true, 1).neq(r.min(true, 1)).castTo(DataType.DOUBLE);   // [B, 1] 0 for an equal group
        INDArray size = Transforms.abs(r, true).max(true, 1);                          // [B, 1] max |r|
        size.addi(size.eq(0).castTo(DataType.DOUBLE));                                 // an all-zero group: 1
        INDArray y = r.divColumnVector(size);                                          // [B, G] in [−1, 1]
        INDArray mean = y.mean(true, 1);                                               // [B, 1]
        INDArray std = y.std(true, true, 1);                                           // [B, 1], n − 1
        INDArray denominator = std.addi(size.rdiv(epsilon));                           // std(y) + ε / size
        INDArray a = y.subiColumnVector(mean).diviColumnVector(denominator).muliColumnVector(varies);
        return a.reshape(n).castTo(rewards.dataType());
    }
}
