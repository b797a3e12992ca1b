/**
 * Register, publish, deliver, ack, expire: the registry ({@link org.goctopus.core.Hub})
 * and each socket's outbound path ({@link org.goctopus.core.Connection}). Plain Java,
 * no container API: testable without a server.
 */
package org.goctopus.core;
