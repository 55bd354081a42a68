/** Tests of the machine-limit benchmarks. */
package org.grpo4j.bench.limits;
