/**
 * Where a step's time goes inside the JVM and ND4J: a JFR event that marks the measured steps of
 * {@code StepBreakdown}, and a summary of a recording's execution and native-method samples inside those steps,
 * attributed to grpo4j's code and to the ND4J call beneath it.
 */
package org.grpo4j.bench.profile;
