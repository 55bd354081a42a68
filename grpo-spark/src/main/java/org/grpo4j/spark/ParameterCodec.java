package org.grpo4j.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpo4j.Checks;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.io.TensorArchive;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link PolicyCodec#parameters(PolicyTemplate)}: the parameters in order onto a template's policy. */
final class ParameterCodec implements PolicyCodec {
    private static final long serialVersionUID = 1L;
    private final PolicyTemplate template;

    ParameterCodec(PolicyTemplate template) {
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
        TensorArchive a = TransformerCodec.archive(bytes);
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
