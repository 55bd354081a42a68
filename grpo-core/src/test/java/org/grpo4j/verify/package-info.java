/** Tests of the verifier runner: weights, failure policies, time limits, non-finite rewards. */
package org.grpo4j.verify;
