/** Tests of the options the benchmarks share: the forked JVMs' JavaCPP cache directory. */
package org.grpo4j.bench;
