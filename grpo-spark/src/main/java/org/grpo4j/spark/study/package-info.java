/**
 * Study sweeps on Spark: {@link org.grpo4j.spark.study.SparkCellExecutor} runs each (axis × p × seed) cell of a
 * {@code StudyRunner} sweep as a Spark task, and {@link org.grpo4j.spark.study.SparkStudyCommand} submits a sweep
 * from the command line.
 */
package org.grpo4j.spark.study;
