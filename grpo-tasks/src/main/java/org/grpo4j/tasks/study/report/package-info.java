/**
 * The report of a study run: estimates over seeds with 95% confidence intervals, the paper's claims judged by
 * stated rules from the measured numbers, and the Markdown, CSV, JSON and PNG files of
 * {@link org.grpo4j.tasks.study.report.StudyReport#write}.
 */
package org.grpo4j.tasks.study.report;
