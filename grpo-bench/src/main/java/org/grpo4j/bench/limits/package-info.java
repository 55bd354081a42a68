/**
 * The machine's limits, measured in the same JMH run as the kernels: Java STREAM-like copy and triad (memory
 * bandwidth, in cache and far beyond it) and ND4J sgemm at the model's matrix shapes (FLOP rate).
 */
package org.grpo4j.bench.limits;
