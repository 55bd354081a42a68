/** Tests of the command-line demos. */
package org.grpo4j.tasks.demo;
