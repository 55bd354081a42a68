/**
 * Tests of the out-of-process verifier with real child processes (POSIX sh scripts and a single-file Java program):
 * the protocol, hangs, crashes, garbage, output bounds, killed process trees, and its use by the runner and trainer.
 */
package org.grpo4j.verify.process;
