/**
 * Native memory management for the training loops: the reused ND4J workspace of a step and the way out of it for
 * arrays that outlive a step ({@link org.grpo4j.memory.Workspaces}).
 */
package org.grpo4j.memory;
