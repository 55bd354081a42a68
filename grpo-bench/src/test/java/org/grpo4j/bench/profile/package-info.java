/** Tests of the profile summary. */
package org.grpo4j.bench.profile;
