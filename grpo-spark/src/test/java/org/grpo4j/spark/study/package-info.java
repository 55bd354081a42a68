/** Tests of study sweeps on Spark. */
package org.grpo4j.spark.study;
