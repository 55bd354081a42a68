/**
 * An out-of-process verifier: {@link org.grpo4j.verify.process.ProcessVerifier} scores batches of completions by
 * running a user-given command (a reward script in any language, a sandbox) in a child process with a hard
 * wall-clock limit that kills the whole process tree, bounded output, an explicit environment and working directory,
 * and a line protocol: one JSON object per completion in, one reward per line out. A hanging, crashing or
 * memory-hungry verifier then costs a child process, never the JVM's threads or heap. The protocol is documented on
 * {@link org.grpo4j.verify.process.ProcessVerifier} and in {@code docs/training.md}.
 */
package org.grpo4j.verify.process;
