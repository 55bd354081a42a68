/** Tests of the string-transformation environment: examples, laws, verifier and tokenisation properties, splits. */
package org.grpo4j.tasks.alchemy;
