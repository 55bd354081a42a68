package org.grpo4j.bench.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ImportanceLevel;

/**
 * The GRPO loss written the way TRL's {@code GRPOTrainer._compute_loss} writes it in PyTorch (whole-tensor ops on
 * {@code [N, T]}), and its gradient with respect to {@code logpNew} by autograd: the work grpo4j's objectives do
 * in one call. Scalars are float, so every op stays float32. Covers the four presets the kernel benchmark sweeps (GRPO, GSPO, DAPO, Dr. GRPO): token or sequence
 * ratios, asymmetric clipping, the k3 KL, group-std or no advantage scaling, and the three aggregations.
 */
public final class TorchObjective {
    private TorchObjective() {
    }

    /**
     * The loss and its gradient.
     *
     * @param engine  the PyTorch engine
     * @param rewards {@code [N]}, group-major
     * @param logpNew {@code [N, T]}; its gradient is computed (it is not modified)
     * @param logpOld {@code [N, T]}
     * @param logpRef {@code [N, T]}
     * @param mask    {@code [N, T]} of 0/1
     * @param c       the configuration
     * @return the loss (a scalar) and the gradient {@code [N, T]}: {@code logpNew}'s {@code .grad}, overwritten by
     *         the next call with the same {@code logpNew}
     * @throws IllegalArgumentException for a configuration outside the four presets (dual clip, K1/K2, batch std,
     *                                  leave-one-out baseline)
     */
    public static NDArray[] lossAndGradient(Engine engine, NDArray rewards, NDArray logpNew, NDArray logpOld,
                                            NDArray logpRef, NDArray mask, GrpoConfig c) {
        check(c);
        NDArray a = advantages(rewards, c);
        NDArray[] out = new NDArray[2];
        if (logpNew.hasGradient()) {
            logpNew.getGradient().muli(0f);          // zero_grad(): autograd accumulates into the leaf's .grad
        } else {
            logpNew.setRequiresGradient(true);
        }
        try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray loss = loss(a, logpNew, logpOld, logpRef, mask, c);
            gc.backward(loss);
            out[0] = loss;
        }
        out[1] = logpNew.getGradient();
        return out;
    }

    /**
     * The group-normalised advantages, {@code (r − mean_g) / (std_g + ε)} with the sample std, or centred only.
     *
     * @param rewards {@code [N]}, group-major
     * @param c       the configuration (one of the four presets)
     * @return {@code [N, 1]}
     */
    static NDArray advantages(NDArray rewards, GrpoConfig c) {
        int g = c.groupSize();
        long n = rewards.getShape().get(0);
        NDArray r = rewards.reshape(n / g, g);
        NDArray centred = r.sub(r.mean(new int[] {1}, true));
        NDArray a = switch (c.advantageScaling()) {
            case GROUP_STD -> centred.div(centred.square().sum(new int[] {1}, true).div((float) (g - 1)).sqrt()
                    .add((float) c.advantageEpsilon()));
            case NONE -> centred;
            case BATCH_STD, BATCH_WHITEN -> throw new AssertionError(c);
        };
        return a.reshape(n, 1);
    }

    /**
     * The loss as TRL writes it, recorded for autograd when called inside a gradient collector.
     *
     * @param a       {@code [N, 1]} advantages
     * @param logpNew {@code [N, T]}
     * @param logpOld {@code [N, T]}
     * @param logpRef {@code [N, T]} (unused when β = 0)
     * @param mask    {@code [N, T]} of 0/1
     * @param c       the configuration (one of the four presets)
     * @return a scalar
     */
    static NDArray loss(NDArray a, NDArray logpNew, NDArray logpOld, NDArray logpRef, NDArray mask, GrpoConfig c) {
        long n = logpNew.getShape().get(0);
        NDArray lengths = mask.sum(new int[] {1}, true);                            // [N, 1]
        NDArray logRatio = logpNew.sub(logpOld).mul(mask);
        if (c.importanceLevel() == ImportanceLevel.SEQUENCE) {
            logRatio = logRatio.sum(new int[] {1}, true).div(lengths.maximum(1));  // [N, 1]
        }
        NDArray ratio = logRatio.exp();
        NDArray clipped = ratio.clip((float) (1 - c.epsilonLow()), (float) (1 + c.epsilonHigh()));
        NDArray perToken = ratio.mul(a).minimum(clipped.mul(a)).neg();           // [N, T] or [N, 1]
        if (c.beta() > 0) {
            NDArray d = logpRef.sub(logpNew).mul(mask);
            perToken = perToken.add(d.exp().sub(d).sub(1).mul((float) c.beta()));         // k3
        }
        perToken = perToken.mul(mask);
        NDArray loss = switch (c.lossAggregation()) {
            case SEQUENCE_MEAN_TOKEN_MEAN -> {
                NDArray active = lengths.gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                yield perToken.sum(new int[] {1}, true).div(lengths.maximum(1)).sum().div(active.sum());
            }
            case TOKEN_MEAN -> perToken.sum().div(mask.sum());
            case CONSTANT_NORMALIZER -> perToken.sum().div((float) ((double) n * c.maxCompletionLength()));
            case SEQUENCE_MEAN_TOKEN_SUM -> throw new AssertionError(c);   // refused by check
        };
        return loss;
    }

    /**
     * Refuses what the peer does not cover.
     *
     * @param c a configuration
     * @throws IllegalArgumentException for a configuration outside the four presets
     */
    static void check(GrpoConfig c) {
        if (c.dualClipEnabled() || c.klEstimator() != org.grpo4j.KlEstimator.K3
                || c.advantageBaseline() != AdvantageBaseline.GROUP_MEAN
                || c.advantageScaling() == org.grpo4j.AdvantageScaling.BATCH_STD
                || c.policyLoss() != org.grpo4j.PolicyLoss.CLIPPED
                || c.fullyMaskedRows() != org.grpo4j.FullyMaskedRows.EXCLUDED
                || c.lossAggregation() == org.grpo4j.LossAggregation.SEQUENCE_MEAN_TOKEN_SUM
                || c.advantageScaling() == org.grpo4j.AdvantageScaling.BATCH_WHITEN
                || c.advantageStd() != org.grpo4j.StdEstimator.SAMPLE
                || c.rewardAggregation() != org.grpo4j.RewardAggregation.SUM_THEN_NORMALIZE) {
            throw new IllegalArgumentException("the PyTorch peer covers the GRPO, GSPO, DAPO and Dr. GRPO presets, "
                    + "not " + c);
        }
    }
}
