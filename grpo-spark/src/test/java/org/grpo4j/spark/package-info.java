/** Tests of the Spark scale-out: local-mode equality with the local samplers and a standalone-cluster run. */
package org.grpo4j.spark;
