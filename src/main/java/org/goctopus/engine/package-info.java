/** Queue: where messages wait for their ACK or expiry. The memory engine now, Redis later. */
package org.goctopus.engine;
