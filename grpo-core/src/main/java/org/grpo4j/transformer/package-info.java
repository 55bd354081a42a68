/**
 * A decoder-only transformer policy on ND4J: {@link org.grpo4j.transformer.TransformerConfig},
 * {@link org.grpo4j.transformer.TransformerPolicy} (batched forward pass with a hand-written backward pass,
 * key/value-cached sampling, save/load) and {@link org.grpo4j.transformer.TeacherForcing} for supervised
 * next-token training. The package-private classes are the model's components (embedding, LayerNorm, causal
 * attention, feed-forward network, output head), each a pair of whole-tensor forward/backward functions.
 */
package org.grpo4j.transformer;
