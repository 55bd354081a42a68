/** The study runner's command line ({@link org.grpo4j.tasks.study.cli.StudyCommand}, picocli). */
package org.grpo4j.tasks.study.cli;
