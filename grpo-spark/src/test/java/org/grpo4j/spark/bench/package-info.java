/** Tests of the benchmark's helper code. */
package org.grpo4j.spark.bench;
