/**
 * Upgrade and deliver: the filter that authorizes an upgrade (and refuses one with
 * a real status), the endpoint and its Configurator, and the adapter that makes a
 * Jakarta WebSocket session a core {@link org.goctopus.core.Transport}.
 */
package org.goctopus.ws;
