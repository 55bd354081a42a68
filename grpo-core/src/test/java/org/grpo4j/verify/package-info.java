/**
 * Tests of the verifier runner: weights, failure policies, time limits, non-finite rewards, batch verifiers, and the
 * bound on running calls and threads with verifiers that ignore interrupts.
 */
package org.grpo4j.verify;
