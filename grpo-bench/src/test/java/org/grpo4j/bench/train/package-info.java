/** Tests of the training-step benchmark's setup. */
package org.grpo4j.bench.train;
