/** Tests of the GRPO training loop: convergence to the closed-form optimum, determinism, resume, metrics. */
package org.grpo4j.train;
