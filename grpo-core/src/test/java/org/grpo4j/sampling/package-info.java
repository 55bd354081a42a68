/** Tests of token and group sampling. */
package org.grpo4j.sampling;
