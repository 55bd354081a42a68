package org.grpo4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable tensor of a {@link Policy} and the buffer its gradient accumulates in. Both arrays are live views
 * owned by the policy: {@link PolicyForward#backward} adds to {@code gradient}, an optimiser reads {@code gradient}
 * and updates {@code value} in place, then zeroes {@code gradient}.
 *
 * @param name     a unique name within the policy, e.g. {@code "layer0.attn.wq"}
 * @param value    the parameter tensor
 * @param gradient the gradient buffer, same shape and type as {@code value}
 */
public record Parameter(String name, INDArray value, INDArray gradient) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if an argument is null or the shapes differ
     */
    public Parameter {
        Checks.notNull("name", name);
        Checks.notNull("value", value);
        Checks.notNull("gradient", gradient);
        if (!java.util.Arrays.equals(value.shape(), gradient.shape())) {
            throw new IllegalArgumentException("gradient shape " + java.util.Arrays.toString(gradient.shape())
                    + " must equal value shape " + java.util.Arrays.toString(value.shape()) + " for " + name);
        }
    }
}
