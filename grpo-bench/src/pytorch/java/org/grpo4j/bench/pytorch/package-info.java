/**
 * The PyTorch peer: the objective, the AdamW update and the transformer pretraining step written with DJL's
 * PyTorch engine (float32, the same shapes, data and batch as the grpo4j benchmarks they are compared with), so
 * that one JMH run measures both. Built only with the Maven profile {@code pytorch}; DJL runs offline, with its
 * natives unpacked under {@code target/djl} from the Maven Central jars.
 */
package org.grpo4j.bench.pytorch;
