package org.grpo4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpo4j.Checks;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.transformer.TransformerPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a policy travels to the executors once per step: as {@link TensorArchive} bytes, the format of grpo4j's
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
        return new TransformerCodec();
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

    /** See {@link #transformer()}. */
    final class TransformerCodec implements PolicyCodec {
        private static final long serialVersionUID = 1L;

        private TransformerCodec() {
        }

        @Override
        public byte[] encode(Policy policy) {
            if (!(policy instanceof TransformerPolicy t)) {
                throw new IllegalArgumentException("PolicyCodec.transformer() encodes a TransformerPolicy, was "
                        + (policy == null ? "null" : policy.getClass().getName())
                        + "; use PolicyCodec.parameters(template) for other policies");
            }
            return t.toArchive().encode();
        }

        @Override
        public Policy decode(byte[] bytes) {
            return TransformerPolicy.fromArchive(archive(bytes));
        }
    }

    /** See {@link #parameters(PolicyTemplate)}. */
    final class ParameterCodec implements PolicyCodec {
        private static final long serialVersionUID = 1L;
        private final PolicyTemplate template;

        private ParameterCodec(PolicyTemplate template) {
            this.template = template;
        }

        @Override
        public byte[] encode(Policy policy) {
            Checks.notNull("policy", policy);
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            List<Parameter> ps = policy.parameters();
            for (int i = 0; i < ps.size(); i++) {
                tensors.put(i + ":" + ps.get(i).name(), ps.get(i).value());
            }
            return new TensorArchive(Map.of("grpo4j.codec", "parameters"), tensors).encode();
        }

        @Override
        public Policy decode(byte[] bytes) {
            TensorArchive a = archive(bytes);
            Policy policy = template.create();
            List<Parameter> ps = policy.parameters();
            List<Map.Entry<String, INDArray>> values = List.copyOf(a.tensors().entrySet());
            if (values.size() != ps.size()) {
                throw new IllegalArgumentException("the archive holds " + values.size() + " tensors, the template's "
                        + "policy has " + ps.size() + " parameters");
            }
            for (int i = 0; i < ps.size(); i++) {
                INDArray target = ps.get(i).value();
                INDArray value = values.get(i).getValue();
                if (!Arrays.equals(target.shape(), value.shape()) || target.dataType() != value.dataType()) {
                    throw new IllegalArgumentException("parameter " + i + " ('" + ps.get(i).name() + "') is "
                            + target.dataType() + Arrays.toString(target.shape()) + ", the archive's tensor '"
                            + values.get(i).getKey() + "' is " + value.dataType() + Arrays.toString(value.shape()));
                }
                target.assign(value);
            }
            return policy;
        }
    }

    private static TensorArchive archive(byte[] bytes) {
        Checks.notNull("bytes", bytes);
        try {
            return TensorArchive.decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("the policy bytes are not a tensor archive", e);
        }
    }
}
