/** Tests of the study command line. */
package org.grpo4j.tasks.study.cli;
