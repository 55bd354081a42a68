package org.grpo4j.spark;

import java.io.Serializable;
import org.grpo4j.Checks;
import org.grpo4j.Policy;
import org.grpo4j.transformer.TransformerPolicy;

/**
 * How a policy travels to the executors once per step: as {@link org.grpo4j.io.TensorArchive} bytes, the format of grpo4j's
 * checkpoints and model files, which keep every parameter's data type and bits. A codec is serializable; the
 * bytes go out in a Spark broadcast.
 */
public interface PolicyCodec extends Serializable {

    /**
     * The policy's bytes.
     *
     * @param policy the driver's policy
     * @return its archive bytes
     * @throws IllegalArgumentException if the codec cannot encode this policy
     */
    byte[] encode(Policy policy);

    /**
     * A policy rebuilt from {@link #encode} bytes, with parameter values bit for bit those encoded.
     *
     * @param bytes the archive bytes
     * @return a new policy
     * @throws IllegalArgumentException if the bytes are not an archive of this codec
     */
    Policy decode(byte[] bytes);

    /**
     * The codec of {@link TransformerPolicy}: {@link TransformerPolicy#toArchive()} and
     * {@link TransformerPolicy#fromArchive}, the architecture travelling in the archive's metadata.
     *
     * @return the codec
     */
    static PolicyCodec transformer() {
        return TransformerCodec.INSTANCE;
    }

    /**
     * A codec for any policy whose parameters define it: the executor builds the architecture with
     * {@code template} and assigns each parameter, in {@link Policy#parameters()} order, the driver's values.
     *
     * @param template builds the architecture on the executor
     * @return the codec
     * @throws IllegalArgumentException if {@code template} is null
     */
    static PolicyCodec parameters(PolicyTemplate template) {
        return new ParameterCodec(Checks.notNull("template", template));
    }
}
