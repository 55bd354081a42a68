/**
 * Tests of the transformer policy. {@code ReferenceTransformer} is an independent plain-Java, double-precision
 * forward pass; {@code FiniteDifferences} holds the central-difference gradient check; {@code TestModels} the
 * tiny configs and random weights. Covered: the forward pass against the reference (DOUBLE and FLOAT); every
 * component's parameter and input gradients and the whole model's gradient against finite differences (DOUBLE),
 * with the causal property of attention and of the trunk; the key/value-cached decoder against the uncached forward
 * pass, with left-padded batches, up to the full context; teacher forcing (loss, loss mask, gradient, a short AdamW
 * run on a copy task); and sampling (greedy arg-max, end-of-sequence and length stops, log-probabilities,
 * reproducibility, validation), and the model file (format key, round trip).
 */
package org.grpo4j.transformer;
