package org.grpo4j.transformer;

import java.util.List;
import org.grpo4j.Parameter;

/**
 * The parameters of one pre-LayerNorm transformer block.
 *
 * @param ln1Gain attention LayerNorm gain, {@code [D]}
 * @param ln1Bias attention LayerNorm bias, {@code [D]}
 * @param wqkv    fused query/key/value projection, {@code [D, 3D]}
 * @param wo      attention output projection, {@code [D, D]}
 * @param ln2Gain feed-forward LayerNorm gain, {@code [D]}
 * @param ln2Bias feed-forward LayerNorm bias, {@code [D]}
 * @param w1      feed-forward expansion, {@code [D, F]}
 * @param w2      feed-forward projection, {@code [F, D]}
 */
record BlockWeights(Parameter ln1Gain, Parameter ln1Bias, Parameter wqkv, Parameter wo, Parameter ln2Gain,
                    Parameter ln2Bias, Parameter w1, Parameter w2) {

    /** @return the eight parameters in their fixed order */
    List<Parameter> parameters() {
        return List.of(ln1Gain, ln1Bias, wqkv, wo, ln2Gain, ln2Bias, w1, w2);
    }
}
