/**
 * Tests of the objective benchmark's helpers: the input builder, shapes and variant presets, and one call of each
 * benchmark method.
 */
package org.grpo4j.bench.objective;
