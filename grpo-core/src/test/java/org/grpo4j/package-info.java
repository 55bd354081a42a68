/** Tests of the API records and the README's example. */
package org.grpo4j;
