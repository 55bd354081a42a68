/** Tests of the transformer policy: forward pass and gradients against a double-precision reference, sampling, files. */
package org.grpo4j.transformer;
