/**
 * Tests of the optimiser benchmark's helpers: the parameter sets, the parameter builder and the gradient refill,
 * and one call of each benchmark method.
 */
package org.grpo4j.bench.optim;
