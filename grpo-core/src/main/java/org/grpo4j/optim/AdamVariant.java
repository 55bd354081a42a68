package org.grpo4j.optim;

/**
 * Which member of the Adam family {@link AdamW} runs.
 */
public enum AdamVariant {
    /**
     * Adam (Kingma &amp; Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1) without any weight
     * decay: {@link OptimizerConfig#weightDecay()} must be 0. It is exactly {@link #ADAMW} with weight decay 0.
     */
    ADAM,
    /**
     * AdamW (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2): Adam plus a
     * weight decay {@code theta <- theta * (1 - lr_t * weightDecay)} applied to the weights directly, not through
     * the gradient, so it is not rescaled by the second-moment estimate. As in PyTorch's {@code torch.optim.AdamW},
     * the decay is multiplied by the scheduled learning rate {@code lr_t}.
     */
    ADAMW
}
